package dev.flowpubsub.postgres;

import dev.flowpubsub.TransportConformanceSuite;
import dev.flowpubsub.spi.Transport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared transport suite on a real PostgreSQL server: what every transport must do, PostgreSQL does.
 *
 * <p>One server for the class, as {@link PostgresSignalLogSuite} has, which saves starting one per test (about half a
 * second each); each test's nodes use tables of their own (a table prefix per test, hence NOTIFY channels of their
 * own too), so no test sees another's log, history or presence. A test that stopped the engine finds it started
 * again for the next.
 */
@Tag("integration")
class PostgresTransportTest extends TransportConformanceSuite {

    @RegisterExtension
    static final PostgresPerClass postgres = new PostgresPerClass("transport_test_");

    @Override
    protected Transport newTransport() {
        return PostgresTransport.builder(postgres.server().jdbcUrl()).username(postgres.server().username())
                .password(postgres.server().password())
                .table(postgres.table()).build();
    }

    @Override
    protected void stopEngine() {
        postgres.server().kill();
    }

    @Override
    protected void startEngine() {
        postgres.server().restart();
    }
}
