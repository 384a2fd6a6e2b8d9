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
 */
@Tag("integration")
class PostgresSignalLogThroughPgBouncerTest extends PostgresSignalLogTest {

    private static PgBouncerServer pgbouncer;

    @BeforeAll
    static void startPgBouncer() { // after the superclass's, which starts PostgreSQL
        pgbouncer = PgBouncerServer.start(postgres);
    }

    @AfterAll
    static void stopPgBouncer() { // before the superclass's, which stops PostgreSQL
        if (pgbouncer != null) {
            pgbouncer.close();
        }
    }

    @Override
    String jdbcUrl() {
        return pgbouncer.jdbcUrl();
    }
}
