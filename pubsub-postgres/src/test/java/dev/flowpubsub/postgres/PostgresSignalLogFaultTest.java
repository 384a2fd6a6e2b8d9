package dev.flowpubsub.postgres;

import ch.qos.logback.classic.Level;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flowpubsub.SignalLogConformanceSuite;
import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;
import dev.flowpubsub.testsupport.LogCapture;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The PostgreSQL signal log beyond the shared suite: a frozen server, tables dropped under running nodes, readers
 * racing writers, a role with data rights only, the application's pool, and secrets.
 */
@Tag("integration")
class PostgresSignalLogFaultTest {

    private static final String SECRET = "s3cret";

    @RegisterExtension
    final PostgresTestbed testbed = new PostgresTestbed();

    @RegisterExtension
    final LogCapture logs = LogCapture.of("dev.flowpubsub", Level.DEBUG);

    /** The signal log of a started transport on this test's PostgreSQL as its superuser, closed after the test. */
    private SignalLog log(String node, UnaryOperator<PostgresTransport.Builder> settings) {
        return log(node, settings.apply(PostgresTransport.builder(testbed.postgres().jdbcUrl()).username("postgres")
                .pollInterval(Duration.ofMillis(100))).build());
    }

    private SignalLog log(String node, PostgresTransport transport) {
        testbed.closeLater(transport).start(new SignalLogConformanceSuite.NoMessages(node));
        return transport.signalLog().orElseThrow();
    }

    private static SignalEntry entry(String origin, long sequence, String text) {
        return new SignalEntry(0, "n", origin, sequence, 1, "test", text.getBytes(StandardCharsets.UTF_8));
    }

    private static <T> T done(CompletionStage<T> stage) throws Exception {
        return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
    }

    private static List<String> texts(SignalRead read) {
        return read.entries().stream().map(entry -> new String(entry.payload(), StandardCharsets.UTF_8)).toList();
    }

    @Test
    void aFrozenServer_failsCallsWithinTheirBound_andTheyWorkOnceItAnswersAgain() throws Exception {
        SignalLog log = log("a", settings -> settings.commandTimeout(Duration.ofSeconds(1)));
        done(SignalLogConformanceSuite.appendNow(log, List.of(entry("a", 1, "before"))));

        testbed.postgres().pause();
        long start = System.nanoTime();
        CompletableFuture<Long> append = SignalLogConformanceSuite.appendNow(log, List.of(entry("a", 2, "during"))).toCompletableFuture();
        CompletableFuture<SignalRead> read = log.read(1, null, 10, Duration.ofMillis(100)).toCompletableFuture();
        assertThatThrownBy(() -> append.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> read.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("both failed by their bounds")
                .isLessThan(Duration.ofSeconds(9));
        await().atMost(Duration.ofSeconds(10)).until(() -> !log.health().up());

        testbed.postgres().resume();
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> done(SignalLogConformanceSuite.appendNow(log, List.of(entry("a", 3, "after")))));
        await().atMost(Duration.ofSeconds(10)).until(() -> log.health().up());
        assertThat(texts(done(log.read(0, null, 10, Duration.ZERO)))).startsWith("before").endsWith("after");
    }

    /** A migration that made the tables again (or an operator who dropped them): a new epoch, an empty log. */
    @Test
    void tablesDroppedUnderRunningNodes_areMadeAgain_withANewEpoch_atTheNextCall() throws Exception {
        SignalLog a = log("a", settings -> settings);
        SignalLog b = log("b", settings -> settings);
        done(SignalLogConformanceSuite.appendNow(a, List.of(entry("a", 1, "old"))));
        done(a.putSnapshot(new SignalSnapshot("n", 1, 1, "test", new byte[] {1})));
        String before = done(b.read(0, null, 10, Duration.ZERO)).epoch();

        testbed.execute("DROP TABLE flow_pubsub_signal_head, flow_pubsub_signals, flow_pubsub_snapshots");

        SignalRead read = done(b.read(0, null, 10, Duration.ZERO));
        assertThat(read.epoch()).isNotEqualTo(before);
        assertThat(read.entries()).isEmpty();
        assertThat(done(a.snapshot("n"))).isEmpty();
        assertThat(done(SignalLogConformanceSuite.appendNow(a, List.of(entry("a", 2, "new"))))).isEqualTo(1);
    }

    /** Positions commit in order: a reader that reads while others append finds no position before the one below. */
    @Test
    void aReaderDuringConcurrentAppends_neverSeesAPositionBeforeTheOneBelowIt() throws Exception {
        List<SignalLog> writers = List.of(log("a", s -> s), log("b", s -> s), log("c", s -> s));
        SignalLog reader = log("reader", s -> s);
        int appendsEach = 40;
        AtomicInteger written = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        for (SignalLog writer : writers) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 1; i <= appendsEach; i++) {
                    int size = 1 + i % 3; // batches of 1 to 3 entries
                    List<SignalEntry> batch = new ArrayList<>();
                    for (int n = 0; n < size; n++) {
                        batch.add(entry("w", i, "e"));
                    }
                    SignalLogConformanceSuite.appendNow(writer, batch).join();
                    written.addAndGet(size);
                }
            }));
        }
        long position = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((threads.stream().anyMatch(Thread::isAlive) || position < written.get())
                && System.nanoTime() < deadline) {
            SignalRead read = done(reader.read(position, null, 1_000, Duration.ofMillis(20)));
            for (SignalEntry entry : read.entries()) {
                assertThat(entry.position()).as("the entry after " + position).isEqualTo(position + 1);
                position = entry.position();
            }
            assertThat(read.head()).isGreaterThanOrEqualTo(position);
        }
        assertThat(position).isEqualTo(written.get())
                .isEqualTo((long) writers.size() * IntStream.rangeClosed(1, appendsEach).map(i -> 1 + i % 3).sum());
    }

    @Test
    void withoutCreateSchema_callsSayWhatToRun_thenTablesOfAMigration_serveARoleWithDataRightsOnly() throws Exception {
        testbed.execute("CREATE ROLE app LOGIN");
        SignalLog waiting = log("a", settings -> settings.username("app").createSchema(false));
        assertThatThrownBy(() -> done(SignalLogConformanceSuite.appendNow(waiting, List.of(entry("a", 1, "x"))))).hasMessageContaining("signals.sql")
                .hasMessageContaining("flow_pubsub_signal_head");

        try (Connection connection = testbed.connect(); Statement statement = connection.createStatement()) {
            statement.execute(script("schema.sql"));
            statement.execute(script("signals.sql"));
            statement.execute("GRANT SELECT, INSERT, DELETE ON flow_pubsub_log, flow_pubsub_history TO app");
            statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON flow_pubsub_signal_head, flow_pubsub_signals,"
                    + " flow_pubsub_snapshots TO app");
        }
        SignalLog app = log("b", settings -> settings.username("app")); // may create, finds all made: runs no DDL
        assertThat(done(SignalLogConformanceSuite.appendNow(app, List.of(entry("b", 1, "one"), entry("b", 2, "two"))))).isEqualTo(2);
        assertThat(done(app.putSnapshot(new SignalSnapshot("n", 2, 1, "test", new byte[] {2})))).isTrue();
        done(app.trim(1));
        SignalRead read = done(waiting.read(0, null, 10, Duration.ZERO));
        assertThat(texts(read)).containsExactly("two");
        assertThat(read.trimmed()).isEqualTo(1);
    }

    private static String script(String name) throws Exception {
        try (InputStream in = PostgresTransport.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * On the application's pool, with the transport's reader holding one of its two connections: the log borrows the
     * other per call (its reads poll, giving it back while they wait), and never holds more.
     */
    @Test
    void onTheApplicationsPool_theLogKeepsWithinMaxPoolConnections() throws Exception {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(testbed.postgres().jdbcUrl());
        config.setUsername("postgres");
        config.setMaximumPoolSize(6);
        HikariDataSource pool = testbed.closeLater(new HikariDataSource(config));
        SignalLog pooled = log("a", PostgresTransport.builder(pool).maxPoolConnections(2)
                .pollInterval(Duration.ofMillis(100)).build());
        SignalLog other = log("b", settings -> settings);
        AtomicInteger most = new AtomicInteger();
        Thread watcher = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                most.accumulateAndGet(pool.getHikariPoolMXBean().getActiveConnections(), Math::max);
                LockSupport.parkNanos(200_000);
            }
        });
        try {
            CompletableFuture<SignalRead> waiting = pooled.read(0, null, 10, Duration.ofSeconds(5)).toCompletableFuture();
            Thread.sleep(300);
            done(SignalLogConformanceSuite.appendNow(other, List.of(entry("b", 1, "wake"))));
            assertThat(texts(waiting.get(5, TimeUnit.SECONDS))).containsExactly("wake");
            for (int i = 1; i <= 20; i++) {
                done(SignalLogConformanceSuite.appendNow(pooled, List.of(entry("a", i, "a" + i))));
                done(pooled.putSnapshot(new SignalSnapshot("n", i, 1, "test", new byte[] {1})));
            }
            assertThat(done(other.read(1, null, 100, Duration.ZERO)).entries()).hasSize(20);
            assertThat(pooled.health().details()).containsEntry("wakeUp", "poll");
        } finally {
            watcher.interrupt();
        }
        assertThat(most.get()).as("pool connections in use at once").isBetween(1, 2);
    }

    @Test
    void aWrongPasswordInTheUrl_reachesNoFailureHealthToStringOrLog() throws Exception {
        try (PostgresServer guarded = PostgresServer.start("right-one")) {
            PostgresTransport transport = PostgresTransport.builder(guarded.jdbcUrl()
                    + "?user=postgres&password=s3cret%2Fpw").commandTimeout(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(100)).build();
            SignalLog log = log("a", transport);

            assertThatThrownBy(() -> done(SignalLogConformanceSuite.appendNow(log, List.of(entry("a", 1, "x")))))
                    .hasMessageContaining("password authentication failed").message()
                    .doesNotContainIgnoringCase(SECRET);
            await().atMost(Duration.ofSeconds(10)).until(() -> log.health().details().containsKey("lastError")
                    && !log.health().up());
            assertThat(log.health() + " " + log + " " + transport).doesNotContainIgnoringCase(SECRET);
            transport.close();
        }
        assertThat(logs.lines()).as("flow-pubsub's log lines at DEBUG")
                .noneSatisfy(line -> assertThat(line.text()).containsIgnoringCase(SECRET));
    }
}
