package dev.flowpubsub.postgres;

import dev.flowpubsub.SignalLogConformanceSuite;
import dev.flowpubsub.spi.Transport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

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

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass("signals_test_");

    /** Where the nodes connect. */
    abstract String jdbcUrl();

    @Override
    protected Transport newTransport(String node) {
        return PostgresTransport.builder(jdbcUrl()).username(postgres.server().username()).table(postgres.table())
                .pollInterval(Duration.ofMillis(100)).build();
    }

    @Override
    protected void stopEngine() {
        postgres.server().kill();
    }

    @Override
    protected void startEngine() {
        postgres.server().restart();
    }

    @Override
    protected void restartEngineEmpty() {
        postgres.server().restartEmpty();
    }
}
