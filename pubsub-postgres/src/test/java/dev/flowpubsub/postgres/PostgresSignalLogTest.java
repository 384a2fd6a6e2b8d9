package dev.flowpubsub.postgres;

import dev.flowpubsub.SignalsUnderHubsConformance;
import org.junit.jupiter.api.Tag;

/**
 * The shared signal log suite on a real PostgreSQL server, on its own and under hubs: what every signal log must give,
 * PostgreSQL's does (see {@link PostgresSignalLogSuite}).
 */
@Tag("integration")
class PostgresSignalLogTest extends PostgresSignalLogSuite implements SignalsUnderHubsConformance {

    /** The server itself. */
    @Override
    String jdbcUrl() {
        return postgres.server().jdbcUrl();
    }
}
