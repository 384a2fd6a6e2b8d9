package dev.flowpubsub;

import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;
import dev.flowpubsub.spi.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link SignalLog} must give shared signals, on its own: extend it, say how to make a transport for one
 * more node on the engine of the test and how to stop, start and empty the engine, and run. The in-memory engine,
 * Redis and PostgreSQL run it, and with it {@link SignalsUnderHubsConformance}, the same log under hubs; PostgreSQL
 * behind PgBouncer runs this half alone (see DECISIONS.md, 2026-12-07).
 */
public abstract class SignalLogConformanceSuite {

    private static final Duration CALL = Duration.ofSeconds(10);

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** A transport for one more node named {@code node}, on the engine of this test; the suite starts it. */
    protected abstract Transport newTransport(String node);

    /** Makes the engine unreachable (stop the server). */
    protected abstract void stopEngine();

    /** Makes the engine reachable again, with what it had. */
    protected abstract void startEngine();

    /** Makes the engine lose everything and come back empty (a Redis without persistence restarted). */
    protected abstract void restartEngineEmpty();

    @AfterEach
    void closeOpened() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
        opened.clear();
    }

    /** A started transport's signal log, for node {@code node}. */
    protected final SignalLog log(String node) {
        Transport transport = newTransport(node);
        transport.start(new NoMessages(node));
        opened.add(transport);
        return transport.signalLog().orElseThrow(() -> new AssertionError("the transport carries no signal log"));
    }

    /** A hub for node {@code node}, with short retention so a test can pass it; closed after the test. */
    public final PubSubHub hub(String node) {
        PubSubHubBuilder builder = PubSubHub.builder().transport(newTransport(node)).nodeId(node);
        builder.signalSettings = SignalSettings.DEFAULTS.withRetainEntries(20).withWriteTimeout(Duration.ofSeconds(2));
        PubSubHub hub = builder.build();
        opened.add(hub);
        return hub;
    }

    static SignalEntry entry(String name, String origin, long sequence, String text) {
        return new SignalEntry(0, name, origin, sequence, SignalCodec.FORMAT, "test",
                text.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends at the log's current epoch, as read just before: for tests that append to a log directly. */
    public static java.util.concurrent.CompletableFuture<Long> appendNow(SignalLog log, List<SignalEntry> entries) {
        return log.read(0, null, 1, Duration.ZERO)
                .thenCompose(read -> log.append(read.epoch(), entries)).toCompletableFuture();
    }

    static <T> T done(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(CALL.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static List<String> texts(SignalRead read) {
        return read.entries().stream().map(entry -> new String(entry.payload(), StandardCharsets.UTF_8)).toList();
    }

    /* --- The log --- */

    @Test
    void appendedEntries_getDensePositions_inOneOrder_forEveryReader() throws Exception {
        SignalLog a = log("a");
        SignalLog b = log("b");
        Thread writerB = Thread.ofPlatform().start(() -> IntStream.rangeClosed(1, 50)
                .forEach(i -> done(SignalLogConformanceSuite.appendNow(b, List.of(entry("n", "b", i, "b" + i))))));
        IntStream.rangeClosed(1, 50).forEach(i -> done(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", "a", i, "a" + i)))));
        writerB.join();

        SignalRead fromA = done(a.read(0, null, 1_000, Duration.ZERO));
        SignalRead fromB = done(b.read(0, null, 1_000, Duration.ZERO));
        assertThat(fromA.entries()).extracting(SignalEntry::position)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 100).mapToObj(Long::valueOf).toList());
        assertThat(texts(fromA)).isEqualTo(texts(fromB));
        assertThat(texts(fromA)).filteredOn(text -> text.startsWith("a"))
                .isEqualTo(IntStream.rangeClosed(1, 50).mapToObj(i -> "a" + i).toList());
        assertThat(fromA.head()).isEqualTo(100);
        assertThat(fromA.epoch()).isEqualTo(fromB.epoch());
    }

    @Test
    void oneAppendOfSeveralEntries_staysWholeAndAdjacent_withItsFields() {
        SignalLog a = log("a");
        SignalLog b = log("b");
        done(SignalLogConformanceSuite.appendNow(b, List.of(entry("n", "b", 1, "before"))));
        long last = done(SignalLogConformanceSuite.appendNow(a, List.of(entry("x", "a", 1, "one"), entry("y", "a", 2, "two"))));

        SignalRead read = done(b.read(1, null, 10, Duration.ZERO));
        assertThat(last).isEqualTo(3);
        assertThat(texts(read)).containsExactly("one", "two");
        SignalEntry first = read.entries().getFirst();
        assertThat(first.position()).isEqualTo(2);
        assertThat(first.name()).isEqualTo("x");
        assertThat(first.originNode()).isEqualTo("a");
        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.format()).isEqualTo(SignalCodec.FORMAT);
        assertThat(first.writer()).isEqualTo("test");
    }

    @Test
    void reading_fromAPosition_withANameOrNot_andALimit() {
        SignalLog a = log("a");
        for (int i = 1; i <= 10; i++) {
            done(SignalLogConformanceSuite.appendNow(a, List.of(entry(i % 2 == 0 ? "even" : "odd", "a", i, "e" + i))));
        }
        assertThat(texts(done(a.read(4, null, 3, Duration.ZERO)))).containsExactly("e5", "e6", "e7");
        assertThat(texts(done(a.read(4, "even", 100, Duration.ZERO)))).containsExactly("e6", "e8", "e10");
        assertThat(done(a.read(10, null, 100, Duration.ZERO)).entries()).isEmpty();
    }

    @Test
    void anAppendAtAFormerEpoch_appendsNothing_andFails() {
        SignalLog a = log("a");
        done(appendNow(a, List.of(entry("n", "a", 1, "kept"))));
        assertThatThrownBy(() -> done(a.append("not-the-epoch", List.of(entry("n", "a", 2, "refused")))))
                .hasRootCauseInstanceOf(IllegalStateException.class);
        assertThat(texts(done(a.read(0, null, 10, Duration.ZERO)))).containsExactly("kept");
    }

    @Test
    void aWaitingRead_returnsWhenAnotherNodeAppends() throws Exception {
        SignalLog a = log("a");
        SignalLog b = log("b");
        var read = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> done(b.read(0, null, 10, Duration.ofSeconds(5)))); // a read may block for its wait
        Thread.sleep(100);
        long start = System.nanoTime();
        done(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", "a", 1, "wake"))));
        assertThat(texts(read.get(5, TimeUnit.SECONDS))).containsExactly("wake");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
    }

    @Test
    void aSnapshot_isKeptPerName_onlyWhenNewer() {
        SignalLog a = log("a");
        SignalLog b = log("b");
        assertThat(done(a.snapshot("board"))).isEmpty();
        assertThat(done(a.putSnapshot(snapshot("board", 5, "five")))).isTrue();
        assertThat(done(b.putSnapshot(snapshot("board", 3, "three")))).isFalse();
        assertThat(done(b.putSnapshot(snapshot("other", 1, "one")))).isTrue();

        Optional<SignalSnapshot> stored = done(b.snapshot("board"));
        assertThat(stored).get().extracting(SignalSnapshot::position).isEqualTo(5L);
        assertThat(new String(stored.orElseThrow().payload(), StandardCharsets.UTF_8)).isEqualTo("five");
        assertThat(stored.orElseThrow().format()).isEqualTo(SignalCodec.FORMAT);
        assertThat(stored.orElseThrow().writer()).isEqualTo("test");
        assertThat(done(a.putSnapshot(snapshot("board", 9, "nine")))).isTrue();
        assertThat(done(b.snapshot("board")).orElseThrow().position()).isEqualTo(9);
    }

    static SignalSnapshot snapshot(String name, long position, String text) {
        return new SignalSnapshot(name, position, SignalCodec.FORMAT, "test", text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void trimming_removesEntriesUpToAPosition_andRaisesTheWatermark_neverLowersIt() {
        SignalLog a = log("a");
        SignalLog b = log("b");
        for (int i = 1; i <= 10; i++) {
            done(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", "a", i, "e" + i))));
        }
        done(a.trim(6));
        done(b.trim(3));

        SignalRead read = done(b.read(0, null, 100, Duration.ZERO));
        assertThat(read.trimmed()).isEqualTo(6);
        assertThat(texts(read)).containsExactly("e7", "e8", "e9", "e10");
        assertThat(read.head()).isEqualTo(10);
        done(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", "a", 11, "e11"))));
        assertThat(done(b.read(10, null, 100, Duration.ZERO)).entries()).extracting(SignalEntry::position)
                .containsExactly(11L);
    }

    @Test
    void anEngineThatLostItsData_hasANewEpoch_withoutEntriesOrSnapshots() {
        SignalLog a = log("a");
        done(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", "a", 1, "old"))));
        done(a.putSnapshot(snapshot("n", 1, "old")));
        String before = done(a.read(0, null, 10, Duration.ZERO)).epoch();

        restartEngineEmpty();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            SignalRead read = done(a.read(0, null, 10, Duration.ZERO));
            assertThat(read.epoch()).isNotEqualTo(before);
            assertThat(read.entries()).isEmpty();
        });
        assertThat(done(a.snapshot("n"))).isEmpty();
        done(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", "a", 2, "new"))));
        assertThat(done(a.read(0, null, 10, Duration.ZERO)).entries()).extracting(SignalEntry::position)
                .containsExactly(1L);
    }

    @Test
    void aSnapshotFromANodeThatHasNotReadTheNewEpoch_isNotStored_andOneOfTheNewEpochIs() {
        SignalLog a = log("a");
        SignalLog b = log("b");
        done(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", "a", 1, "old"))));
        String before = done(a.read(0, null, 10, Duration.ZERO)).epoch();
        done(b.read(0, null, 10, Duration.ZERO));

        restartEngineEmpty();

        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> !done(a.read(0, null, 10, Duration.ZERO)).epoch().equals(before));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions() // b has not read since: its state is of before
                .untilAsserted(() -> assertThat(done(b.putSnapshot(snapshot("n", 10, "former epoch")))).isFalse());
        assertThat(done(a.snapshot("n"))).isEmpty();
        assertThat(done(a.putSnapshot(snapshot("n", 1, "new epoch")))).isTrue();
    }

    @Test
    void whileTheEngineIsDown_callsFailAndHealthSaysSo_andAfterwardsTheyWork() {
        SignalLog a = log("a");
        done(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", "a", 1, "before"))));
        stopEngine();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> !a.health().up());
            assertThatThrownBy(() -> SignalLogConformanceSuite.appendNow(a, List.of(entry("n", "a", 2, "during"))).toCompletableFuture()
                    .get(20, TimeUnit.SECONDS)).isInstanceOf(Exception.class);
        } finally {
            startEngine();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            done(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", "a", 3, "after"))));
            assertThat(a.health().up()).isTrue();
        });
        assertThat(texts(done(a.read(0, null, 10, Duration.ZERO)))).startsWith("before").endsWith("after");
    }

    /** A transport context for a signal log used on its own: no messages are expected. */
    public record NoMessages(String nodeId) implements dev.flowpubsub.spi.TransportContext {
        @Override
        public int maxPayloadBytes() {
            return 1 << 20;
        }

        @Override
        public int historySize(String topic) {
            return 0;
        }

        @Override
        public Duration historyTimeout() {
            return Duration.ofSeconds(5);
        }

        @Override
        public void receive(dev.flowpubsub.spi.TransportEnvelope envelope) {
        }

        @Override
        public void rejected(String entryId, String reason) {
        }
    }
}
