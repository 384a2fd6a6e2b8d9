package dev.flowpubsub;

import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.SignalCommand;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.JsonNodeFactory;

import java.math.BigInteger;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * An independent review of shared signals across servers: each test is what a demanding user or a hostile engine
 * peer would do, asserting what docs/guarantees.md promises. Several FAIL on purpose (see the commit message).
 */
class SignalEdgeCasesTest {

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.stepped(4242);

    /* --- update(): Vaadin's CancelableOperation retries every unsuccessful result, refusals included --- */

    @Test
    void update_whoseWriteIsRefused_failsAtTheCall_insteadOfRetryingForever() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        nodes.deliver();
        String tooLarge = "x".repeat(70_000);

        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            assertThatThrownBy(() -> onA.update(old -> tooLarge)).isInstanceOf(PubSubSignalRefusedException.class)
                    .hasMessageStartingWith("refused: size");
            nodes.deliver();
        }, "update() of a refused write never settles: it retries the refusal forever");
        assertThat(onA.peek()).isNull();
    }

    @Test
    void update_whoseWriteIsRefused_onAThreadedNode_doesNotSpin() throws Exception {
        SignalNodes threaded = SignalNodes.threaded();
        try {
            SharedValueSignal<String> onA = threaded.signals("a").value("title", String.class);
            assertThatThrownBy(() -> onA.update(old -> "x".repeat(70_000)))
                    .isInstanceOf(PubSubSignalRefusedException.class);
            Thread.sleep(500);
            assertThat(threaded.replica("a").meters.refusedTotal()).as("refusals of one update()").isEqualTo(1);
        } finally {
            threaded.afterEach(null);
        }
    }

    /* --- values the writer encodes but no node (the writer included) decodes --- */

    @Test
    void aNumberLongerThanTheReadLimit_isRefusedAtTheWrite() {
        SharedValueSignal<BigInteger> onA = nodes.signals("a").value("big", BigInteger.class);
        SharedValueSignal<BigInteger> onB = nodes.signals("b").value("big", BigInteger.class);
        nodes.deliver();
        BigInteger huge = BigInteger.TEN.pow(1_001); // 1002 digits, about 1 KB encoded: far below 64 KiB

        assertThatThrownBy(() -> onA.set(huge)).isInstanceOf(PubSubSignalRefusedException.class)
                .hasMessageContaining("could not read this write back");
        nodes.deliver();
        assertThat(onA.peek()).as("the writer's view is the others' view").isEqualTo(onB.peek()).isNull();
    }


    @Test
    void aMapKeyLongerThanTheReadLimit_keepsTheNameLoadable_afterCompaction() {
        nodes.settings(settings -> settings.withRetainEntries(0));
        SharedMapSignal<String> onA = nodes.signals("a").map("m", String.class);
        nodes.deliver();
        onA.put("k".repeat(1_001), "v"); // 1 KB key: a JSON name in the snapshot, over the 1,000-char name limit
        onA.put("short", "w");
        nodes.deliver();
        CompletableFuture<Void> compacted = nodes.replica("a").snapshotNow();
        nodes.deliver();
        assertThat(compacted).isDone();

        SharedMapSignal<String> onC = nodes.signals("c").map("m", String.class);
        nodes.deliver();
        assertThat(onC.peek()).as("c sees a's two keys").hasSize(2);
        assertThat(nodes.confirmed("c", "m")).as("a late node loads the same state").isEqualTo(
                nodes.confirmed("a", "m"));
    }

    @Test
    void aNameWhoseSnapshotIsRefused_afterItsLogWasTrimmed_isNotLoadedPartly_andLoadsOnceAGoodSnapshotIsThere() {
        nodes.settings(settings -> settings.withRetainEntries(0));
        var onA = nodes.signals("a").list("cards", String.class);
        nodes.deliver();
        onA.insertLast("1");
        onA.insertLast("2");
        nodes.deliver();
        CompletableFuture<Void> compacted = nodes.replica("a").snapshotNow();
        nodes.deliver();
        assertThat(compacted).isDone();
        long trimmed = nodes.engine.trimmed();
        assertThat(trimmed).isEqualTo(2);
        nodes.engine.signalLog("evil").putSnapshot(new dev.flowpubsub.spi.SignalSnapshot("cards", trimmed + 1,
                SignalCodec.FORMAT, "x", "{\"nodes\":{}}".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .toCompletableFuture().join();
        onA.insertLast("3");
        nodes.deliver();

        var onC = nodes.signals("c").list("cards", String.class);
        nodes.deliver();
        assertThat(onC.peekConfirmed()).as("c holds no part of the state: '3' alone would be one").isEmpty();

        onA.insertLast("4");
        nodes.deliver();
        CompletableFuture<Void> snapshotted = nodes.replica("a").snapshotNow();
        for (int round = 0; round < 200 && onC.peekConfirmed().size() < 4; round++) {
            nodes.deliver();
        }
        assertThat(snapshotted).isDone();
        assertThat(onC.peekConfirmed().stream().map(entry -> entry.peekConfirmed()).toList())
                .containsExactly("1", "2", "3", "4");
        assertThat(nodes.confirmed("c", "cards")).isEqualTo(nodes.confirmed("a", "cards"));
    }

    @Test
    void oneUnloadableName_doesNotStopTheNodesOtherSignals() {
        nodes.settings(settings -> settings.withRetainEntries(0));
        SharedMapSignal<String> onA = nodes.signals("a").map("m", String.class);
        SharedValueSignal<String> otherOnA = nodes.signals("a").value("other", String.class);
        nodes.deliver();
        onA.put("k".repeat(1_001), "v");
        nodes.deliver();
        CompletableFuture<Void> compacted = nodes.replica("a").snapshotNow();
        nodes.deliver();
        assertThat(compacted).isDone();

        SharedValueSignal<String> otherOnC = nodes.signals("c").value("other", String.class);
        nodes.signals("c").map("m", String.class); // the poisoned name, made on c
        nodes.deliver();
        var fromC = otherOnC.set("from c");
        otherOnA.set("from a");
        nodes.deliver();

        assertThat(fromC.result()).as("c's write to another name completes").isDone();
        assertThat(otherOnC.peek()).as("c still reads the log").isEqualTo(otherOnA.peek());
    }

    /* --- an engine peer that spoofs another node's origin --- */

    @Test
    void anEntrySpoofingANodesOriginAndAHugeSequence_endsThatNodesWritesWithAReason_andNothingDiverges() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        SharedValueSignal<String> onB = nodes.signals("b").value("title", String.class);
        onA.set("a's first");
        nodes.deliver();
        SignalLog evil = nodes.engine.signalLog("evil");
        String aOrigin = evil.read(0, null, 10, Duration.ZERO).toCompletableFuture().join().entries().getFirst()
                .originNode();
        byte[] set = new SignalCodec().commands(List.of(new SignalCommand.SetCommand(Id.random(), Id.ZERO,
                JsonNodeFactory.instance.stringNode("evil"))));
        SignalLogConformanceSuite.appendNow(evil, List.of(new SignalEntry(0, "title", aOrigin, Long.MAX_VALUE,
                SignalCodec.FORMAT, "x", set))).join();
        nodes.deliver();

        var second = onA.set("a's second");
        nodes.deliver();

        // whoever can write to the engine is trusted (guarantees.md): a spoofed origin silences that node's writes,
        // but they end with a reason instead of hanging, and every node holds the same state
        assertThat(second.result()).isDone();
        assertThat(second.result().join().successful()).isFalse();
        assertThat(onA.peek()).isEqualTo(onB.peek());
    }

    /* --- the engine lost its data: a write another node had read is applied, yet reported lost --- */


    /* --- closing the hub --- */

    @Test
    void writesInFlightWhenTheHubCloses_completeTheirResults() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        nodes.deliver();
        var inFlight = onA.set("in flight");
        nodes.kill("a");

        assertThat(inFlight.result()).as("a write the closed hub will never apply completes").isDone();
    }

    @Test
    void aWriteThroughASignalKeptAfterTheHubClosed_isRefusedAtTheCall() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        onA.set("before");
        nodes.deliver();
        nodes.kill("a");

        assertThatThrownBy(() -> onA.set("after close")).isInstanceOf(PubSubSignalRefusedException.class)
                .hasMessageContaining("closed");
        assertThat(onA.peek()).as("and leaves the view").isEqualTo("before");
    }

    /* --- transactions: a refusal reaches every sub-operation --- */

    @Test
    void aRefusedTransaction_failsAtTheCall_andLeavesNothingOfIt() {
        SharedValueSignal<String> small = nodes.signals("a").value("tx", String.class);
        nodes.deliver();
        assertThatThrownBy(() -> Signal.runInTransaction(() -> {
            small.set("fine");
            small.set("y".repeat(70_000));
        })).isInstanceOf(PubSubSignalRefusedException.class);
        nodes.deliver();
        assertThat(small.peek()).isNull();
    }

    /* --- update() under contention converges (a check that should pass) --- */

    @Test
    void concurrentUpdates_onTwoNodes_bothApply() {
        SharedValueSignal<Integer> onA = nodes.signals("a").value("count", Integer.class);
        SharedValueSignal<Integer> onB = nodes.signals("b").value("count", Integer.class);
        onA.set(0);
        nodes.deliver();

        var fromA = onA.update(v -> v + 1);
        var fromB = onB.update(v -> v + 1);
        nodes.deliver();

        assertThat(fromA.result()).isDone();
        assertThat(fromB.result()).isDone();
        assertThat(onA.peek()).isEqualTo(2).isEqualTo(onB.peek());
    }

    /* --- the kind check is per node --- */

}
