package dev.flowpubsub.redis;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.Inbox;
import dev.flowpubsub.Presence;
import dev.flowpubsub.PubSub;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Nodes that stop and start again, as in a rolling restart or a Kubernetes StatefulSet. */
@Tag("integration")
class RedisNodeLifecycleTest {

    @RegisterExtension
    final RedisTestbed testbed = new RedisTestbed();

    private RedisNode node(String nodeId) {
        return testbed.node(hub -> hub.nodeId(nodeId));
    }

    /** A page that receives "flow" messages and is present on "room" as {@code name}. */
    private static Inbox person(RedisNode node, String name) {
        UI ui = node.app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        ui.accessSynchronously(() -> {
            PubSub.current().subscribeTopic("flow", inbox::add);
            PubSub.current().join("room", name);
        });
        return inbox;
    }

    private static List<Object> present(RedisNode node) {
        return node.hub.presence("room").stream().map(Presence::descriptor).toList();
    }

    @Test
    void nodeRestartedWithTheSameId_isHeardAgain_messagesAndPresenceFlowBothWays() {
        RedisNode a = node("node-a");
        RedisNode b = node("node-b");
        Inbox ann = person(a, "Ann");
        Inbox bob = person(b, "Bob");
        b.hub.sendAllOnTopic("flow", "b before the restart");
        await().atMost(Duration.ofSeconds(10)).until(() -> ann.messages.contains("b before the restart"));
        await().atMost(Duration.ofSeconds(10)).until(() -> present(a).containsAll(List.of("Ann", "Bob")));

        b.close();
        RedisNode restarted = node("node-b");
        Inbox bea = person(restarted, "Bea");
        restarted.hub.sendAllOnTopic("flow", "b after the restart");
        a.hub.sendAllOnTopic("flow", "a to the restarted b");

        await().atMost(Duration.ofSeconds(10)).until(() -> ann.messages.contains("b after the restart"));
        await().atMost(Duration.ofSeconds(10)).until(() -> bea.messages.contains("a to the restarted b"));
        await().atMost(Duration.ofSeconds(10)).until(() -> present(a).equals(List.of("Ann", "Bea")));
        await().atMost(Duration.ofSeconds(10)).until(() -> present(restarted).equals(List.of("Ann", "Bea")));
        // across nodes only each sender's order is kept: A sees its own message at once
        assertThat(ann.messages).containsExactlyInAnyOrder("b before the restart", "b after the restart", "a to the restarted b");
        assertThat(bob.messages).containsExactly("b before the restart");
        assertThat(a.hub.stats().remoteMissed()).isZero();
    }

    @Test
    void closingANode_announcesItsPresenceLeavesBeforeItsConnectionCloses() {
        RedisNode a = node("node-a");
        RedisNode b = node("node-b");
        person(a, "Ann");
        person(b, "Bob");
        await().atMost(Duration.ofSeconds(10)).until(() -> present(a).equals(List.of("Ann", "Bob")));

        long closedAt = System.nanoTime();
        b.hub.close();

        // the heartbeat would only drop Bob after three silent beats (15 s): the leave must come at once
        await().atMost(Duration.ofSeconds(3)).until(() -> present(a).equals(List.of("Ann")));
        assertThat(Duration.ofNanos(System.nanoTime() - closedAt)).isLessThan(Duration.ofSeconds(3));
    }
}
