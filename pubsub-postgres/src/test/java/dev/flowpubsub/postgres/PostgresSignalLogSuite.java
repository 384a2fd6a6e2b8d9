package dev.flowpubsub.postgres;

import dev.flowpubsub.SignalLogConformanceSuite;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The shared signal log suite on a real PostgreSQL server, reached as {@link #jdbcUrl()} says: directly in
 * {@link PostgresSignalLogTest}, through PgBouncer in {@link PostgresSignalLogThroughPgBouncerTest}.
 *
 * <p>One server for the class, which saves starting one per test; each test's nodes use tables of their own (a table
 * prefix per test), so no test sees another's log. Stopping the engine kills the server (every backend at once, as a
 * crash); starting it again recovers what it had committed. The engine that lost its data is the closest PostgreSQL
 * has to a Redis without persistence restarted: the server is killed and an empty one, made by {@code initdb}, starts
 * on the same port ({@link PostgresServer#restartEmpty()}), as a container without a volume does, so the nodes find
 * no table at all, make them again, and with them a new epoch.
 */
@Tag("integration")
abstract class PostgresSignalLogSuite extends SignalLogConformanceSuite {

    private static final AtomicInteger TABLES = new AtomicInteger();

    static PostgresServer postgres;
    private String table;

    @BeforeAll
    static void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void tablesOfThisTest() {
        table = "signals_test_" + TABLES.incrementAndGet();
    }

    /** Leaves the server running for the next test, whatever this one did to it. */
    @AfterEach
    void serverRunningAgain() {
        if (postgres.isRunning()) {
            postgres.resume();
        } else {
            postgres.restart();
        }
    }

    /** Where the nodes connect. */
    abstract String jdbcUrl();

    @Override
    protected Transport newTransport(String node) {
        return PostgresTransport.builder(jdbcUrl()).username(postgres.username()).table(table)
                .pollInterval(Duration.ofMillis(100)).build();
    }

    @Override
    protected void stopEngine() {
        postgres.kill();
    }

    @Override
    protected void startEngine() {
        postgres.restart();
    }

    @Override
    protected void restartEngineEmpty() {
        postgres.restartEmpty();
    }
}
