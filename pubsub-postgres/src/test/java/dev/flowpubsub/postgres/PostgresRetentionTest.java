package dev.flowpubsub.postgres;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.Inbox;
import dev.flowpubsub.PubSub;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How the nodes trim what PostgreSQL keeps: a topic's history a day after its last message, and the log to
 * {@code maxLength} rows, by one node at a time (the trim lock).
 */
@Tag("integration")
class PostgresRetentionTest {

    private static final HistoryPolicy ROOMS = HistoryPolicy.keep(5, "room:");
    private static final PostgresSchema SCHEMA = new PostgresSchema("public", "flow_pubsub");

    @RegisterExtension
    final PostgresTestbed testbed = new PostgresTestbed();

    /** Short timeouts, and a trim round as often as the writer looks (after each batch, or every 2 s when idle). */
    private static PostgresTransport.Builder trimmingOften(PostgresTransport.Builder settings) {
        return settings.commandTimeout(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(200))
                .trimInterval(Duration.ofMillis(50));
    }

    private PostgresNode node() {
        return testbed.node(testbed.postgres().jdbcUrl(), PostgresRetentionTest::trimmingOften,
                hub -> hub.history(ROOMS));
    }

    private static Inbox enter(PostgresNode node, String room) {
        UI ui = node.app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        ui.accessSynchronously(() -> PubSub.current().subscribeTopicWithHistory(room, String.class, inbox::add));
        return inbox;
    }

    private long historyRows(String topic) throws Exception {
        return testbed.number("SELECT count(*) FROM flow_pubsub_history WHERE topic = convert_to('" + topic
                + "', 'UTF8')");
    }

    @Test
    void historyOfATopicSilentForMoreThanADay_isDropped_andATopicSilentForLessIsKept() throws Exception {
        PostgresNode a = node();
        List.of("q0", "q1", "q2").forEach(message -> a.hub.sendAllOnTopic("room:quiet", message));
        List.of("r0", "r1", "r2").forEach(message -> a.hub.sendAllOnTopic("room:recent", message));
        await().atMost(Duration.ofSeconds(10)).until(() -> historyRows("room:quiet") == 3
                && historyRows("room:recent") == 3);

        // the default historyRetention is a day: one topic's last message 25 hours ago, the other's 23
        testbed.execute("UPDATE flow_pubsub_history SET created_at = now() - interval '25 hours'"
                + " WHERE topic = convert_to('room:quiet', 'UTF8')");
        testbed.execute("UPDATE flow_pubsub_history SET created_at = now() - interval '23 hours'"
                + " WHERE topic = convert_to('room:recent', 'UTF8')");

        // one statement drops every topic past the retention: once the first is gone, the round has run
        await().atMost(Duration.ofSeconds(10)).until(() -> historyRows("room:quiet") == 0);
        assertThat(historyRows("room:recent")).as("a topic silent for 23 hours keeps its history").isEqualTo(3);

        PostgresNode later = node();
        Inbox quiet = enter(later, "room:quiet");
        Inbox recent = enter(later, "room:recent");
        await().atMost(Duration.ofSeconds(10)).until(() -> recent.messages.size() == 3);
        assertThat(recent.messages).containsExactly("r0", "r1", "r2");
        // a page gets a topic's history before anything said after it entered: so "live" alone means no history
        a.hub.sendAllOnTopic("room:quiet", "live");
        await().atMost(Duration.ofSeconds(10)).until(() -> !quiet.messages.isEmpty());
        assertThat(quiet.messages).as("a node started later reads no history of the dropped topic")
                .containsExactly("live");
    }

    @Test
    void whileTheTrimLockIsHeldElsewhere_noNodeTrims_andOnceItIsReleasedTheLogIsTrimmedToMaxLength() throws Exception {
        // every statement that reaches the server is logged with its backend's pid: the trim attempts become visible
        testbed.execute("ALTER SYSTEM SET log_statement = 'all'");
        testbed.number("SELECT pg_reload_conf()::int");
        int maxLength = 50;
        PostgresNode a = testbed.node(settings -> trimmingOften(settings).maxLength(maxLength));
        PostgresNode b = testbed.node(settings -> trimmingOften(settings).maxLength(maxLength));

        // what a node's trim round takes, held by another session: the others' pg_try_advisory_xact_lock fails
        Connection holder = testbed.connect();
        try (Statement lock = holder.createStatement()) {
            lock.execute("SELECT pg_advisory_lock(" + PostgresSchema.LOCK_SPACE + ", " + SCHEMA.trimLock + ")");
        }
        int each = 3 * maxLength;
        for (int n = 0; n < each; n++) {
            a.hub.sendAllOnTopic("flow", "a:" + n);
            b.hub.sendAllOnTopic("flow", "b:" + n);
        }
        String flowRows = "SELECT count(*) FROM flow_pubsub_log WHERE topic = convert_to('flow', 'UTF8')";
        await().atMost(Duration.ofSeconds(10)).until(() -> testbed.number(flowRows) == 2L * each);
        int logFrom = testbed.postgres().log().length();
        // both writers try again (at their next idle check), with every row in, and get nowhere
        await().atMost(Duration.ofSeconds(10)).until(() -> trimAttemptsByBackend(logFrom).size() >= 2);
        assertThat(testbed.number(flowRows)).as("nobody trimmed: the log stays over maxLength")
                .isEqualTo(2L * each);
        assertThat(testbed.postgres().log().substring(logFrom)).doesNotContain("DELETE FROM " + SCHEMA.log);

        try (Statement unlock = holder.createStatement()) {
            unlock.execute("SELECT pg_advisory_unlock(" + PostgresSchema.LOCK_SPACE + ", " + SCHEMA.trimLock + ")");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> testbed.number("SELECT count(*) FROM flow_pubsub_log")
                == maxLength);
        assertThat(testbed.number("SELECT min(id) FROM flow_pubsub_log"))
                .as("the newest rows are kept").isEqualTo(testbed.number("SELECT max(id) FROM flow_pubsub_log")
                        - maxLength + 1);
    }

    /** Per backend pid, how many times it ran the trim lock's statement since {@code from} in the server's log. */
    private Map<String, Long> trimAttemptsByBackend(int from) {
        Pattern attempt = Pattern.compile("\\[(\\d+)] LOG:  execute [^:]*: " + Pattern.quote(SCHEMA.tryTrimLockSql()));
        return testbed.postgres().log().substring(from).lines().map(attempt::matcher).filter(Matcher::find)
                .collect(Collectors.groupingBy(match -> match.group(1), Collectors.counting()));
    }
}
