package dev.flowpubsub.postgres;

import dev.flowpubsub.testsupport.PgBouncerServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The shared signal log suite with every node connecting through a real PgBouncer in transaction mode (see
 * {@link PostgresThroughPgBouncerTest}): no session state between transactions, no notifications (the reads poll, every
 * 100 ms here), and no named server-side statement may be relied on. The engine's faults happen to the PostgreSQL
 * behind it; PgBouncer stays up, as it would in production.
 *
 * <p>The log's half of the suite only: the half under hubs ({@link dev.flowpubsub.SignalsUnderHubsConformance}, run
 * directly in {@link PostgresSignalLogTest}) reaches the engine through the same calls of the log, each of which this
 * half makes through PgBouncer (see DECISIONS.md, 2026-12-07).
 */
@Tag("integration")
class PostgresSignalLogThroughPgBouncerTest extends PostgresSignalLogSuite {

    private static PgBouncerServer pgbouncer;

    @BeforeAll
    static void startPgBouncer() { // after the extension's, which starts PostgreSQL
        pgbouncer = PgBouncerServer.start(postgres.server());
    }

    @AfterAll
    static void stopPgBouncer() { // before the extension's, which stops PostgreSQL
        if (pgbouncer != null) {
            pgbouncer.close();
        }
    }

    @Override
    String jdbcUrl() {
        return pgbouncer.jdbcUrl();
    }
}
