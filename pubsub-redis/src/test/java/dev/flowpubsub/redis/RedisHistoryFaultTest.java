package dev.flowpubsub.redis;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.Inbox;
import dev.flowpubsub.PubSub;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A topic's history is read from Redis once, in the background: a frozen Redis delays neither the pages entering a
 * room (they get what this node has after the read times out) nor anyone else.
 */
@Tag("integration")
class RedisHistoryFaultTest {

    private static final HistoryPolicy ROOMS = HistoryPolicy.keep(50, "room:");
    /** The engine's history read gives up after this long (Engine's HISTORY_TIMEOUT), plus scheduling slack. */
    private static final Duration HISTORY_WAIT = Duration.ofSeconds(3).plusSeconds(2);

    @RegisterExtension
    final RedisTestbed testbed = new RedisTestbed();

    private RedisNode node() {
        return testbed.node(hub -> hub.history(ROOMS));
    }

    private static Inbox enter(RedisNode node, String room) {
        UI ui = node.app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        ui.accessSynchronously(() -> PubSub.current().subscribeTopicWithHistory(room, String.class, inbox::add));
        return inbox;
    }

    @Test
    void pagesEnteringARoomWhileRedisIsFrozen_waitOnlyForTheReadTimeout_andDelayNobodyElse() {
        RedisNode a = node();
        List<String> old = IntStream.range(0, 10).mapToObj(i -> "old " + i).toList();
        old.forEach(message -> a.hub.sendAllOnTopic("room:1", message));
        await().atMost(Duration.ofSeconds(10)).until(() -> testbed.redis().cli("LLEN", "flow-pubsub:messages:history:room:1").equals("10"));
        RedisNode b = node();
        Inbox bystander = b.page("news");

        testbed.redis().pause();
        List<Inbox> entering = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < 5; i++) {
            entering.add(enter(b, "room:1"));
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("subscribing does not wait for Redis")
                .isLessThan(Duration.ofMillis(500));
        b.hub.sendAllOnTopic("news", "still flowing");
        b.hub.sendAllOnTopic("room:1", "said while Redis was frozen");

        await().atMost(Duration.ofSeconds(1)).until(() -> bystander.messages.contains("still flowing"));
        await().atMost(HISTORY_WAIT).until(() -> entering.stream().allMatch(inbox -> !inbox.messages.isEmpty()));
        for (Inbox inbox : entering) {
            // Redis did not answer: each page got what this node had, nothing missed since it entered
            assertThat(inbox.messages).containsExactly("said while Redis was frozen");
        }
        testbed.redis().resume();

        Inbox late = enter(b, "room:1");
        List<Object> everything = new ArrayList<>(old);
        everything.add("said while Redis was frozen");
        await().atMost(Duration.ofSeconds(10)).until(() -> late.messages.size() == everything.size());
        assertThat(late.messages).as("the next page entering reads Redis again").containsExactlyElementsOf(everything);

        sleepQuietly(Duration.ofMillis(500)); // reads queued while Redis was frozen are answered by now
        long readsBefore = testbed.redis().commandCalls("lrange");
        List<Inbox> more = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            more.add(enter(b, "room:1"));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> more.stream().allMatch(inbox -> inbox.messages.size() == everything.size()));
        assertThat(testbed.redis().commandCalls("lrange")).as("a topic's history is read from Redis once").isEqualTo(readsBefore);
    }

    @Test
    void malformedOrOversizedHistoryEntries_areSkipped_andTheRestOfTheHistoryIsDelivered() {
        String list = "flow-pubsub:messages:history:room:1";
        testbed.redis().cli("RPUSH", list, "garbage");
        testbed.redis().cli("RPUSH", list, "not-an-id\nintruder\n1\n{\"t\":\"string\",\"v\":\"poison\"}");
        testbed.redis().cli("RPUSH", list, "1-1\nintruder\n2\n{\"t\":\"string\",\"v\":\"" + "x".repeat(2_000) + "\"}");
        testbed.redis().cli("RPUSH", list, "1-2\nintruder\n3\n{\"t\":\"string\",\"v\":\"kept\"}");
        testbed.redis().cli("XADD", "flow-pubsub:messages", "*", "o", "intruder", "s", "4", "p", "{}"); // history is what came before this
        RedisNode b = testbed.node(hub -> hub.history(ROOMS).maxMessageBytes(1_000));

        Inbox inbox = enter(b, "room:1");

        await().atMost(Duration.ofSeconds(10)).until(() -> !inbox.messages.isEmpty());
        assertThat(inbox.messages).containsExactly("kept");
        assertThat(b.hub.stats().remoteRejected()).isEqualTo(3);
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
