package dev.flowpubsub.postgres;

import dev.flowpubsub.TransportConformanceSuite;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

import java.util.concurrent.atomic.AtomicInteger;

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

    private static final AtomicInteger TABLES = new AtomicInteger();

    private static PostgresServer postgres;
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
        table = "transport_test_" + TABLES.incrementAndGet();
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

    @Override
    protected Transport newTransport() {
        return PostgresTransport.builder(postgres.jdbcUrl()).username(postgres.username()).password(postgres.password())
                .table(table).build();
    }

    @Override
    protected void stopEngine() {
        postgres.kill();
    }

    @Override
    protected void startEngine() {
        postgres.restart();
    }
}
