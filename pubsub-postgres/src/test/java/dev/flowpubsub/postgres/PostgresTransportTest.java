package dev.flowpubsub.postgres;

import dev.flowpubsub.TransportConformanceSuite;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** The shared transport suite on a real PostgreSQL server: what every transport must do, PostgreSQL does. */
@Tag("integration")
class PostgresTransportTest extends TransportConformanceSuite {

    private PostgresServer postgres;

    @BeforeEach
    void startPostgres() {
        postgres = PostgresServer.start();
    }

    @AfterEach
    void stopPostgres() {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected Transport newTransport() {
        return PostgresTransport.create(postgres.jdbcUrl(), postgres.username(), postgres.password());
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
