package dev.flowpubsub.redis;

import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedListSignal;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.SignalLogConformanceSuite;
import dev.flowpubsub.SignalsUnderHubsConformance;
import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The shared signal log suite on a real redis-server, and what is Redis's own: binary payloads, the watermark kept
 * across a restart, an old epoch's snapshot or trim kept out of a new one, waits on their own connection, and Redis
 * frozen (SIGSTOP) under a read, under an append and under hubs that write.
 */
@Tag("integration")
class RedisSignalLogTest extends SignalLogConformanceSuite implements SignalsUnderHubsConformance {

    /** The client's command timeout here: 1 s, plus the 1 s a blocking read may take; a frozen Redis fails calls in 2 s. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(1);

    @RegisterExtension
    final RedisTestbed testbed = new RedisTestbed();

    @Override
    protected Transport newTransport(String node) {
        return RedisTransport.builder(testbed.redis().uri()).commandTimeout(COMMAND_TIMEOUT).build();
    }

    @Override
    protected void stopEngine() {
        testbed.redis().kill();
    }

    @Override
    protected void startEngine() {
        testbed.redis().restart();
    }

    @Override
    protected void restartEngineEmpty() {
        testbed.redis().restartEmpty();
    }

    private static SignalEntry entry(String name, String origin, long sequence, byte[] payload) {
        return new SignalEntry(0, name, origin, sequence, 1, "test", payload);
    }

    private static SignalEntry entry(String name, long sequence) {
        return entry(name, "a", sequence, ("e" + sequence).getBytes(StandardCharsets.UTF_8));
    }

    private static <T> T result(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static List<Long> positions(SignalRead read) {
        return read.entries().stream().map(SignalEntry::position).toList();
    }

    /* --- Redis's own --- */

    @Test
    void payloadsNamesAndOrigins_travelByteForByte() throws Exception {
        SignalLog a = log("a");
        SignalLog b = log("b");
        byte[] every = new byte[256];
        for (int i = 0; i < every.length; i++) {
            every[i] = (byte) i;
        }
        String name = "board:ü 1/\u2603\n";
        result(SignalLogConformanceSuite.appendNow(a, List.of(entry(name, "nöde-\u00e9", 1, every))));
        result(a.putSnapshot(new SignalSnapshot(name, 1, 7, "flow 25.2.5", every)));

        SignalEntry read = result(b.read(0, name, 10, Duration.ZERO)).entries().getFirst();
        assertThat(read.payload()).isEqualTo(every);
        assertThat(read.name()).isEqualTo(name);
        assertThat(read.originNode()).isEqualTo("nöde-\u00e9");
        SignalSnapshot snapshot = result(b.snapshot(name)).orElseThrow();
        assertThat(snapshot.payload()).isEqualTo(every);
        assertThat(snapshot.format()).isEqualTo(7);
        assertThat(snapshot.writer()).isEqualTo("flow 25.2.5");
        assertThat(testbed.redis().cli("TYPE", "flow-pubsub:messages:signals")).isEqualTo("stream");
        assertThat(testbed.redis().cli("XINFO", "STREAM", "flow-pubsub:messages:signals")).doesNotContain("MAXLEN");
    }

    @Test
    void anEntryThatIsNotASignalEntry_isSkipped_leavingAGapTheReaderSees() throws Exception {
        SignalLog a = log("a");
        result(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", 1))));
        assertThat(testbed.redis().cli("XADD", "flow-pubsub:messages:signals", "0-*", "name", "n", "seq", "x"))
                .isEqualTo("0-2");
        assertThat(result(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", 3))))).isEqualTo(3);

        assertThat(positions(result(a.read(0, null, 10, Duration.ZERO)))).containsExactly(1L, 3L);
        assertThat(positions(result(a.read(0, "n", 10, Duration.ZERO)))).containsExactly(1L, 3L);
    }

    @Test
    void theWatermarkTheEpochAndTheSnapshots_surviveARedisRestartThatKeptItsData() throws Exception {
        SignalLog a = log("a");
        for (int i = 1; i <= 10; i++) {
            result(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", i))));
        }
        result(a.trim(4));
        result(a.putSnapshot(new SignalSnapshot("n", 4, 1, "test", new byte[] {4})));
        String epoch = result(a.read(0, null, 100, Duration.ZERO)).epoch();

        testbed.redis().kill();
        testbed.redis().restart();

        SignalRead read = await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> result(a.read(0, null, 100, Duration.ZERO)), any -> true);
        assertThat(read.epoch()).isEqualTo(epoch);
        assertThat(read.trimmed()).isEqualTo(4);
        assertThat(read.head()).isEqualTo(10);
        assertThat(positions(read)).containsExactly(5L, 6L, 7L, 8L, 9L, 10L);
        assertThat(result(a.snapshot("n")).orElseThrow().position()).isEqualTo(4);
        assertThat(result(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", 11))))).isEqualTo(11);
    }

    @Test
    void afterRedisLostItsData_aNodeThatHasNotReadSince_neitherTrimsNorSnapshotsTheNewEpoch() throws Exception {
        SignalLog a = log("a");
        SignalLog b = log("b");
        for (int i = 1; i <= 10; i++) {
            result(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", i))));
        }
        testbed.redis().restartEmpty();
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
                .until(() -> result(SignalLogConformanceSuite.appendNow(b, List.of(entry("n", "b", 1, new byte[] {1}), entry("n", "b", 2,
                        new byte[] {2})))) == 2);

        assertThat(result(a.putSnapshot(new SignalSnapshot("n", 9, 1, "test", new byte[] {9})))).isFalse();
        assertThatThrownBy(() -> result(a.trim(9))).hasMessageContaining("not trimmed: Redis lost the signal log");
        SignalRead read = result(b.read(0, null, 10, Duration.ZERO));
        assertThat(positions(read)).containsExactly(1L, 2L);
        assertThat(read.trimmed()).isZero();
        assertThat(result(b.snapshot("n"))).isEmpty();

        assertThat(result(a.read(0, null, 10, Duration.ZERO)).epoch()).isEqualTo(read.epoch());
        result(a.trim(1));
        assertThat(result(a.putSnapshot(new SignalSnapshot("n", 1, 1, "test", new byte[] {1})))).isTrue();
        assertThat(result(b.read(0, null, 10, Duration.ZERO)).trimmed()).isEqualTo(1);
    }

    @Test
    void whileRedisRefusesWritesForWantOfMemory_appendsFail_butReadsAndTrimsGoOn() throws Exception {
        SignalLog a = log("a");
        for (int i = 1; i <= 10; i++) {
            result(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", i))));
        }
        testbed.redis().cli("CONFIG", "SET", "maxmemory-policy", "noeviction");
        testbed.redis().cli("CONFIG", "SET", "maxmemory", "1");
        try {
            assertThatThrownBy(() -> result(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", 11))))).hasMessageContaining("OOM");
            assertThat(positions(result(a.read(8, null, 10, Duration.ZERO)))).containsExactly(9L, 10L);
            result(a.trim(8));
            assertThat(result(a.read(0, null, 10, Duration.ZERO)).trimmed()).isEqualTo(8);
        } finally {
            testbed.redis().cli("CONFIG", "SET", "maxmemory", "0");
        }
        assertThat(result(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", 11))))).isEqualTo(11);
    }

    @Test
    void aPassword_reachesNoErrorNorHealthOfTheLog() throws Exception {
        String password = "s3cret-Pa55word";
        RedisServer locked = testbed.closeLater(RedisServer.start(password));
        SignalLog right = logOn(locked.uri(), "right");
        SignalLog wrong = logOn("redis://:wrong-" + password + "@127.0.0.1:" + locked.port(), "wrong");

        assertThat(result(SignalLogConformanceSuite.appendNow(right, List.of(entry("n", 1))))).isEqualTo(1);
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(
                () -> result(SignalLogConformanceSuite.appendNow(wrong, List.of(entry("n", 2)))));
        assertThat(refused).hasMessageContaining("redis://127.0.0.1:" + locked.port());
        List<String> shown = new ArrayList<>();
        for (Throwable cause = refused; cause != null; cause = cause.getCause()) {
            shown.add(cause.toString());
        }
        shown.add(wrong.health().toString());
        shown.add(right.health().toString());
        shown.add(wrong.toString());
        assertThat(wrong.health().up()).isFalse();
        assertThat(shown).allSatisfy(text -> assertThat(text).doesNotContain("s3cret"));
    }

    /** The signal log of a hub's transport on the Redis at {@code uri}, closed after the test. */
    private SignalLog logOn(String uri, String node) {
        RedisTransport transport = RedisTransport.builder(uri).commandTimeout(COMMAND_TIMEOUT).build();
        testbed.closeLater(PubSubHub.builder().transport(transport).nodeId(node).build());
        return transport.signalLog().orElseThrow();
    }

    @Test
    void aWaitingRead_returnsAtOnce_andLeavesTheLogsOtherCallsFree() throws Exception {
        SignalLog a = log("a");
        result(SignalLogConformanceSuite.appendNow(a, List.of(entry("other", 1))));
        long start = System.nanoTime();
        CompletableFuture<SignalRead> waiting = a.read(1, "n", 10, Duration.ofSeconds(5)).toCompletableFuture();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
        Thread.sleep(100);
        assertThat(result(SignalLogConformanceSuite.appendNow(a, List.of(entry("other", 2))))).isEqualTo(2);
        assertThat(result(a.snapshot("n"))).isEmpty();
        Thread.sleep(100);
        assertThat(waiting).as("an entry of another name does not end the wait").isNotDone();
        assertThat(result(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", 3))))).isEqualTo(3);

        SignalRead read = waiting.get(2, TimeUnit.SECONDS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
        assertThat(positions(read)).containsExactly(3L);
    }

    @Test
    void whileRedisIsFrozen_callsReturnAtOnceAndFailWithinTheTimeout_andWorkAgainWhenItResumes() throws Exception {
        SignalLog a = log("a");
        result(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", 1))));
        testbed.redis().pause();
        try {
            long start = System.nanoTime();
            CompletableFuture<Long> append = SignalLogConformanceSuite.appendNow(a, List.of(entry("n", 2))).toCompletableFuture();
            CompletableFuture<SignalRead> read = a.read(1, null, 10, Duration.ofMillis(500)).toCompletableFuture();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
            assertThatThrownBy(() -> append.get(8, TimeUnit.SECONDS)).hasMessageContaining("Redis redis://127.0.0.1:");
            assertThatThrownBy(() -> read.get(8, TimeUnit.SECONDS)).hasMessageContaining("Redis redis://127.0.0.1:");
            assertThat(a.health().up()).isFalse();
        } finally {
            testbed.redis().resume();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> a.health().up());
        long last = result(SignalLogConformanceSuite.appendNow(a, List.of(entry("n", 3))));
        SignalRead read = result(a.read(0, null, 10, Duration.ZERO));
        assertThat(positions(read)).endsWith(last).isEqualTo(IntStream.rangeClosed(1, (int) last)
                .mapToObj(Long::valueOf).toList());
    }

    /** A card inserted by a test's writer, and its operation's outcome. */
    private record Insert(String card, CompletableFuture<? extends SignalOperation.ResultOrError<?>> result) {
    }

    /**
     * Hubs with the default signal settings (a write waits 10 s for the engine, the log keeps 10,000 entries), so the
     * freeze outlasts the command timeout but no write's deadline: appends time out and may still land when Redis
     * resumes (repeats, which readers skip, once the hub appends them again), a write made while the last append
     * failed is refused, and every node must end with exactly the writes that succeeded, each writer's in its order.
     */
    @Test
    void redisFrozenWhileHubsWriteSignals_everyNodeEndsWithExactlyTheWritesThatSucceeded() throws Exception {
        List<PubSubHub> hubs = new ArrayList<>();
        for (String node : List.of("a", "b", "c")) {
            hubs.add(testbed.closeLater(PubSubHub.builder().transport(newTransport(node)).nodeId(node).build()));
        }
        hubs.forEach(hub -> hub.signals().list("cards", String.class));
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Insert> inserts = new CopyOnWriteArrayList<>();
        List<Thread> writers = new ArrayList<>();
        for (PubSubHub hub : hubs.subList(0, 2)) {
            SharedListSignal<String> cards = hub.signals().list("cards", String.class);
            String node = hub.nodeId().orElseThrow();
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; writing.get(); i++) {
                    String card = node + "-" + i;
                    inserts.add(new Insert(card, cards.insertLast(card).result()));
                    sleep(40);
                }
            }));
        }
        sleep(300);
        testbed.redis().pause();
        sleep(3_000); // longer than the command timeout (2 s)
        testbed.redis().resume();
        sleep(500);
        writing.set(false);
        for (Thread writer : writers) {
            writer.join();
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> inserts.stream().allMatch(insert -> insert.result().isDone()));
        List<String> succeeded = inserts.stream().filter(insert -> insert.result().join().successful())
                .map(Insert::card).toList();
        assertThat(succeeded).as("writes before and after the freeze succeed").hasSizeGreaterThan(20);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (PubSubHub hub : hubs) {
                List<String> cards = cards(hub);
                assertThat(cards).as("cards on " + hub.nodeId()).containsExactlyInAnyOrderElementsOf(succeeded)
                        .isEqualTo(cards(hubs.getFirst()));
                assertThat(cards.stream().filter(card -> card.startsWith("a-")).toList()).as("a's cards, in order")
                        .isEqualTo(succeeded.stream().filter(card -> card.startsWith("a-")).toList());
            }
        });
    }

    private static List<String> cards(PubSubHub hub) {
        return hub.signals().list("cards", String.class).peekConfirmed().stream().map(card -> card.peekConfirmed())
                .toList();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
