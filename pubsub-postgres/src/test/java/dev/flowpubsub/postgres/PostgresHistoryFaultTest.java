package dev.flowpubsub.postgres;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.Inbox;
import dev.flowpubsub.PubSub;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A topic's history is read from PostgreSQL once, in the background: a frozen PostgreSQL delays neither the pages
 * entering a room (they get what this node has after the read times out) nor anyone else; the history table keeps
 * each topic's last messages only.
 */
@Tag("integration")
class PostgresHistoryFaultTest {

    private static final HistoryPolicy ROOMS = HistoryPolicy.keep(5, "room:");
    /** The hub's history read gives up after 3 s, plus scheduling slack. */
    private static final Duration HISTORY_WAIT = Duration.ofSeconds(3).plusSeconds(2);

    @RegisterExtension
    final PostgresTestbed testbed = new PostgresTestbed();

    private PostgresNode node() {
        return testbed.node(testbed.postgres().jdbcUrl(), settings -> settings.commandTimeout(Duration.ofSeconds(2))
                .pollInterval(Duration.ofMillis(200)), hub -> hub.history(ROOMS));
    }

    private static Inbox enter(PostgresNode node, String room) {
        UI ui = node.app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        ui.accessSynchronously(() -> PubSub.current().subscribeTopicWithHistory(room, String.class, inbox::add));
        return inbox;
    }

    private int historyRows() throws Exception {
        try (Connection connection = DriverManager.getConnection(testbed.postgres().jdbcUrl(), "postgres", null);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM flow_pubsub_history")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    @Test
    void pagesEnteringARoomWhilePostgresIsFrozen_waitOnlyForTheReadTimeout_andDelayNobodyElse() throws Exception {
        PostgresNode a = node();
        List<String> old = IntStream.range(0, 10).mapToObj(i -> "old " + i).toList();
        old.forEach(message -> a.hub.sendAllOnTopic("room:1", message));
        await().atMost(Duration.ofSeconds(10)).until(() -> historyRows() == 5);
        PostgresNode b = node();
        Inbox bystander = b.page("news");

        testbed.postgres().pause();
        List<Inbox> entering = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            entering.add(enter(b, "room:1"));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("subscribing does not wait for PostgreSQL")
                .isLessThan(Duration.ofMillis(500));
        b.hub.sendAllOnTopic("news", "still flowing");
        b.hub.sendAllOnTopic("room:1", "said while PostgreSQL was frozen");

        await().atMost(Duration.ofSeconds(1)).until(() -> bystander.messages.contains("still flowing"));
        await().atMost(HISTORY_WAIT).until(() -> entering.stream().allMatch(inbox -> !inbox.messages.isEmpty()));
        for (Inbox inbox : entering) {
            // PostgreSQL did not answer: each page got what this node had, nothing missed since it entered
            assertThat(inbox.messages).containsExactly("said while PostgreSQL was frozen");
        }
        testbed.postgres().resume();

        Inbox late = enter(b, "room:1");
        List<Object> lastFive = new ArrayList<>(old.subList(6, 10));
        lastFive.add("said while PostgreSQL was frozen");
        await().atMost(Duration.ofSeconds(15)).until(() -> late.messages.size() == lastFive.size());
        assertThat(late.messages).as("the next page entering reads PostgreSQL again").containsExactlyElementsOf(lastFive);
        await().atMost(Duration.ofSeconds(10)).until(() -> historyRows() == 5);
    }

    /**
     * The history thread keeps its connection between reads; PostgreSQL restarted (a failover, an idle timeout, a
     * terminated backend) leaves it dead, and the next reads failed on it: a page entering a room this node never saw
     * got an empty room (found by an independent review). The read is tried again on a new connection.
     */
    @Test
    void aPageEnteringARoomAfterPostgresRestarted_getsTheRoomsHistory() throws Exception {
        PostgresNode a = node();
        a.hub.sendAllOnTopic("room:1", "old in 1");
        a.hub.sendAllOnTopic("room:2", "old in 2");
        await().atMost(Duration.ofSeconds(10)).until(() -> historyRows() == 2);
        PostgresNode b = node();
        Inbox first = enter(b, "room:1"); // b's history thread opens its connection
        await().atMost(Duration.ofSeconds(10)).until(() -> first.messages.contains("old in 1"));

        testbed.postgres().kill();
        testbed.postgres().restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> b.hub.transportHealth().orElseThrow().up());
        Inbox second = enter(b, "room:2");

        await().atMost(HISTORY_WAIT).until(() -> !second.messages.isEmpty());
        assertThat(second.messages).as("history of room:2 after PostgreSQL restarted").containsExactly("old in 2");
    }
}
