package dev.flowpubsub.postgres;

import dev.flowpubsub.Inbox;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Several nodes appending at once, as fast as they can: ids are taken at insert but would commit in another order
 * without the append lock, and a reader reading {@code id > last} would then pass rows that commit late. Every page
 * must get every message exactly once, each sender's in order.
 */
@Tag("integration")
class PostgresConcurrentWritersTest {

    private static final int NODES = 4;
    private static final int SENDERS_PER_NODE = 2;
    private static final int MESSAGES = 500;

    @RegisterExtension
    final PostgresTestbed testbed = new PostgresTestbed();

    @Test
    void nodesAppendingConcurrently_everyPageGetsEveryMessageOnce_eachSendersInOrder() {
        List<PostgresNode> nodes = new ArrayList<>();
        List<Inbox> pages = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            // a short poll too, so readers also read while other transactions are still open
            PostgresNode node = testbed.node(settings -> settings.pollInterval(Duration.ofMillis(20)));
            nodes.add(node);
            pages.add(node.page("flow"));
        }
        List<String> prefixes = new ArrayList<>();
        List<Sender> senders = new ArrayList<>();
        for (int n = 0; n < NODES; n++) {
            for (int s = 0; s < SENDERS_PER_NODE; s++) {
                String prefix = "n" + n + "s" + s;
                prefixes.add(prefix);
                senders.add(testbed.closeLater(new Sender(nodes.get(n).hub, prefix, Duration.ZERO, MESSAGES)));
            }
        }

        for (Inbox page : pages) {
            for (String prefix : prefixes) {
                Sender.awaitAll(page, prefix, MESSAGES);
            }
            assertThat(page.messages).hasSize(NODES * SENDERS_PER_NODE * MESSAGES);
        }
        for (PostgresNode node : nodes) {
            assertThat(node.hub.stats().remoteMissed()).isZero();
        }
        senders.forEach(Sender::stop);
    }
}
