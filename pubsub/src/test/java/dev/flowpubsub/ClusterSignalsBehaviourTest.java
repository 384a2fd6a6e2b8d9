package dev.flowpubsub;

import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.SignalCommand;
import com.vaadin.flow.signals.SignalEnvironment;
import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.JsonNodeFactory;

import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Vaadin's signal API on cluster signals: what resolves the same everywhere, and what is refused. */
class ClusterSignalsBehaviourTest {

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.stepped(2103);

    private static boolean succeeded(SignalOperation<?> operation) {
        return operation.result().join().successful();
    }

    @Test
    void concurrentReplaces_fromOneValue_resolveTheSameOnEveryNode_oneWins() {
        SharedValueSignal<String> onA = nodes.signals("a").value("state", String.class);
        SharedValueSignal<String> onB = nodes.signals("b").value("state", String.class);
        onA.set("open");
        nodes.deliver();

        var fromA = onA.replace("open", "taken by a");
        var fromB = onB.replace("open", "taken by b");
        var verifiedOnB = onB.verifyValue("open");
        nodes.deliver();

        assertThat(succeeded(fromA)).isTrue();
        assertThat(succeeded(fromB)).isFalse();
        assertThat(succeeded(verifiedOnB)).as("b's check ran after a's replace, in the log's order").isFalse();
        assertThat(onA.peek()).isEqualTo("taken by a").isEqualTo(onB.peek());
    }

    @Test
    void concurrentPutIfAbsent_resolveTheSameOnEveryNode_theFirstInTheLogWins() {
        SharedMapSignal<String> onA = nodes.signals("a").map("seats", String.class);
        SharedMapSignal<String> onB = nodes.signals("b").map("seats", String.class);
        nodes.deliver();

        onB.putIfAbsent("12A", "bea");
        onA.putIfAbsent("12A", "ann");
        nodes.deliver(); // the stepped engine appends node a's writes first, then b's

        assertThat(onA.peek().get("12A").peek()).isEqualTo("ann");
        assertThat(onB.peek().get("12A").peek()).as("b's write was applied second, everywhere").isEqualTo("ann");
        assertThat(nodes.confirmed("a", "seats")).isEqualTo(nodes.confirmed("b", "seats"));
    }

    @Test
    void aTransactionOnOneName_isAppliedWholeOnEveryNode_orNotAtAll() {
        SharedMapSignal<String> onA = nodes.signals("a").map("order", String.class);
        SharedMapSignal<String> onB = nodes.signals("b").map("order", String.class);
        onA.put("status", "new");
        nodes.deliver();

        var fromB = Signal.runInTransaction(() -> {
            onB.peek().get("status").verifyValue("new");
            onB.put("status", "shipped by b");
            onB.put("by", "b");
        });
        onA.put("status", "cancelled");
        nodes.deliver(); // a's put is appended before b's transaction

        assertThat(fromB.result().join().successful()).isFalse();
        assertThat(onB.peek()).as("none of b's transaction is left").containsOnlyKeys("status");
        assertThat(onB.peek().get("status").peek()).isEqualTo("cancelled");

        var fromA = Signal.runInTransaction(() -> {
            onA.peek().get("status").verifyValue("cancelled");
            onA.put("status", "archived");
            onA.put("by", "a");
        });
        nodes.deliver();
        assertThat(fromA.result().join().successful()).isTrue();
        assertThat(onB.peek()).containsOnlyKeys("status", "by");
        assertThat(onB.peek().get("by").peek()).isEqualTo("a");
        assertThat(nodes.confirmed("a", "order")).isEqualTo(nodes.confirmed("b", "order"));
    }

    @Test
    void aTransactionAcrossTwoNames_failsExactlyAsOnVaadinsLocalSharedSignals() {
        Throwable local = thrownBy(() -> {
            var first = new SharedValueSignal<>(String.class);
            var second = new SharedValueSignal<>(String.class);
            Signal.runInTransaction(() -> {
                first.set("x");
                second.set("y");
            });
        });
        Throwable cluster = thrownBy(() -> {
            var first = nodes.signals("a").value("first", String.class);
            var second = nodes.signals("a").value("second", String.class);
            Signal.runInTransaction(() -> {
                first.set("x");
                second.set("y");
            });
        });
        assertThat(local).isNotNull();
        assertThat(cluster).isNotNull().hasSameClassAs(local).hasMessage(local.getMessage());
    }

    private static @Nullable Throwable thrownBy(Runnable action) {
        try {
            action.run();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    /** Vaadin's executor gives no order between tasks: this one runs them in the reverse order, as a pool may. */
    private static final class Reversing extends SignalEnvironment implements Executor {
        final List<Runnable> tasks = new ArrayList<>();
        boolean active = true;

        @Override
        protected boolean isActive() {
            return active;
        }

        @Override
        protected Executor getResultNotifier() {
            return Runnable::run;
        }

        @Override
        protected Executor getEffectDispatcher() {
            return this;
        }

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        void runReversed() {
            tasks.reversed().forEach(Runnable::run);
            tasks.clear();
        }
    }

    @Test
    void twoWritesFromOneThread_vaadinsLocalSharedSignalsCanConfirmReversed_clusterSignalsKeepTheirOrder() {
        Reversing executor = new Reversing();
        Runnable unregister = SignalEnvironment.registerFirst(executor);
        try {
            SharedListSignal<String> local = new SharedListSignal<>(String.class);
            SharedValueSignal<String> localValue = new SharedValueSignal<>(String.class);
            local.insertLast("first");
            local.insertLast("second");
            localValue.set("older");
            localValue.set("newer");
            executor.runReversed();
            assertThat(local.peekConfirmed().stream().map(Signal::peek).toList()).containsExactly("second", "first");
            assertThat(localValue.peekConfirmed()).as("the older value came back").isEqualTo("older");

            SharedListSignal<String> cluster = nodes.signals("a").list("list", String.class);
            SharedValueSignal<String> clusterValue = nodes.signals("a").value("value", String.class);
            nodes.deliver();
            cluster.insertLast("first");
            cluster.insertLast("second");
            clusterValue.set("older");
            clusterValue.set("newer");
            nodes.deliver();
            executor.runReversed();
            assertThat(cluster.peekConfirmed().stream().map(Signal::peek).toList()).containsExactly("first", "second");
            assertThat(clusterValue.peekConfirmed()).isEqualTo("newer");
        } finally {
            executor.active = false;
            unregister.run();
        }
    }

    @Test
    void tenThousandNamesUsedOnceEach_areLetGo_andLoadedAgainWhenUsed() throws Exception {
        ClusterSignals signals = nodes.signals("a");
        for (int i = 0; i < 10_000; i++) {
            signals.value("name-" + i, String.class).set("v" + i);
            if (i % 1_000 == 999) {
                nodes.deliver();
            }
        }
        nodes.deliver();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (signals.namesInUse() > 100 && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(20);
        }
        assertThat(signals.namesInUse()).isLessThanOrEqualTo(100);

        SharedValueSignal<String> again = signals.value("name-4321", String.class);
        try {
            nodes.deliver();
            assertThat(again.peek()).isEqualTo("v4321");
        } finally {
            Reference.reachabilityFence(again);
        }
    }

    @Test
    void hostileEntries_areRefusedAndNotApplied_andTheNextGoodOneIs() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        nodes.deliver();
        SignalCodec codec = new SignalCodec();
        byte[] good = codec.commands(List.of(new SignalCommand.SetCommand(Id.random(), Id.ZERO,
                JsonNodeFactory.instance.stringNode("good"))));
        byte[] snapshotAmongCommands = codec.commands(List.of(new SignalCommand.SnapshotCommand(Id.random(),
                nodes.confirmed("a", "title"))));
        String deep = "{\"commands\":[{\"@type\":\"set\",\"commandId\":\"AAAAAAAAAAE\",\"targetNodeId\":\"\","
                + "\"value\":" + "[".repeat(1_000) + "]".repeat(1_000) + "}]}";
        List<byte[]> hostile = List.of(bytes("not json"), bytes("{\"commands\":[{\"@type\":\"java.lang.Runtime\"}]}"),
                bytes("{\"commands\":[{\"@type\":\"exec\",\"commandId\":\"AAAAAAAAAAE\"}]}"), snapshotAmongCommands,
                bytes(deep), bytes("{\"commands\":[],\"unknown\":1}"));
        SignalLog evil = nodes.engine.signalLog("evil");
        long sequence = 0;
        for (byte[] payload : hostile) {
            SignalLogConformanceSuite.appendNow(evil, List.of(new SignalEntry(0, "title", "evil", ++sequence,
                    SignalCodec.FORMAT, "x", payload))).join();
        }
        SignalLogConformanceSuite.appendNow(evil, List.of(new SignalEntry(0, "title", "evil", ++sequence, 99, "99.0.0",
                good))).join();
        SignalLogConformanceSuite.appendNow(evil, List.of(new SignalEntry(0, "title", "evil", ++sequence,
                SignalCodec.FORMAT, "x", good))).join();
        nodes.deliver();

        assertThat(nodes.replica("a").stats().rejected()).isEqualTo(hostile.size() + 1);
        assertThat(onA.peek()).isEqualTo("good");
    }

    @Test
    void aCommandAimedAtANodeNotInTheNamedTree_changesNothingOnAnyNode() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        SharedValueSignal<String> onB = nodes.signals("b").value("title", String.class);
        onA.set("kept");
        nodes.deliver();
        byte[] foreign = new SignalCodec().commands(List.of(new SignalCommand.SetCommand(Id.random(), Id.random(),
                JsonNodeFactory.instance.stringNode("smuggled"))));
        SignalLogConformanceSuite.appendNow(nodes.engine.signalLog("evil"), List.of(new SignalEntry(0, "title", "evil",
                1, SignalCodec.FORMAT, "x", foreign))).join();
        nodes.deliver();

        assertThat(onA.peek()).isEqualTo("kept").isEqualTo(onB.peek());
        assertThat(nodes.confirmed("a", "title").values().toString()).doesNotContain("smuggled");
        assertThat(nodes.confirmed("a", "title")).isEqualTo(nodes.confirmed("b", "title"));
    }

    @Test
    void hostileSnapshots_areRefused_andTheNameLoadsFromTheLogInstead() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        onA.set("from the log");
        nodes.deliver();
        SignalLog evil = nodes.engine.signalLog("evil");
        evil.putSnapshot(new dev.flowpubsub.spi.SignalSnapshot("title", 1, SignalCodec.FORMAT, "x",
                bytes("{\"nodes\":{\"@type\":\"java.lang.ProcessBuilder\"}}"))).toCompletableFuture().join();
        evil.putSnapshot(new dev.flowpubsub.spi.SignalSnapshot("other", 1, 99, "99.0.0", bytes("{}")))
                .toCompletableFuture().join();

        SharedValueSignal<String> onC = nodes.signals("c").value("title", String.class);
        SharedValueSignal<String> other = nodes.signals("c").value("other", String.class);
        nodes.deliver();

        assertThat(onC.peek()).isEqualTo("from the log");
        assertThat(other.peek()).isNull();
        assertThat(nodes.confirmed("c", "title")).isEqualTo(nodes.confirmed("a", "title"));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aValueTypeTheCodecDoesNotAllow_isRefusedWhenTheSignalIsMade_onANodeWithAnEngine() {
        record Card(String text) {
        }
        assertThatThrownBy(() -> nodes.signals("a").value("card", Card.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("JsonCodec.allowing");
    }

    @Test
    void oneNameAsTwoKindsOfSignal_whileItIsHeld_isRefused() {
        SharedValueSignal<String> held = nodes.signals("a").value("board", String.class);
        assertThatThrownBy(() -> nodes.signals("a").list("board", String.class))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("value of java.lang.String");
        assertThat(held.peek()).isNull(); // held to here: a tree no signal uses is let go, and its kind with it
    }

    @Test
    void withoutAnEngine_signalsWorkTheSameInMemory() {
        try (PubSubHub hub = PubSubHub.builder().build()) {
            SharedListSignal<String> list = hub.signals().list("cards", String.class);
            list.insertLast("one");
            list.insertLast("two");
            Supplier<List<String>> confirmed = () -> list.peekConfirmed().stream().map(Signal::peek).toList();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> confirmed.get().equals(List.of("one", "two")));
            assertThat(hub.signals().list("cards", String.class).peek()).hasSize(2);
        }
    }
}
