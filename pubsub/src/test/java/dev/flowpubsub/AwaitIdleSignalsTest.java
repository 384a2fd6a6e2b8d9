package dev.flowpubsub;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PubSubHub#awaitIdle} and this node's shared-signal writes, on a threaded engine. */
class AwaitIdleSignalsTest {

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.threaded();

    @Test
    void awaitIdle_returnsOnceThisNodesWriteIsConfirmed() throws InterruptedException {
        PubSubHub a = nodes.node("a");
        a.signals().value("title", String.class).set("first");

        assertThat(a.awaitIdle(Duration.ofSeconds(5))).isTrue();
        assertThat(a.signals().value("title", String.class).peekConfirmed()).isEqualTo("first");
    }

    @Test
    void awaitIdle_doesNotWaitForAWrite_whileThisNodeIsCutOffFromTheEngine() throws InterruptedException {
        PubSubHub a = nodes.node("a");
        a.signals().value("title", String.class).set("first");
        assertThat(a.awaitIdle(Duration.ofSeconds(5))).isTrue();

        nodes.engine.partition("a");
        try {
            try {
                a.signals().value("title", String.class).set("second"); // queued, or refused once a read failed
            } catch (PubSubSignalRefusedException refusedAtOnce) {
                // the replica found the engine unreachable first: nothing waits
            }
            assertThat(a.awaitIdle(Duration.ofSeconds(5))).as("idle while cut off: the write waits for the engine")
                    .isTrue();
        } finally {
            nodes.engine.heal("a");
        }
    }
}
