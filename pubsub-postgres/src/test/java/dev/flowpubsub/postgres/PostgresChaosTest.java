package dev.flowpubsub.postgres;

import dev.flowpubsub.ClusterChaosSuite;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;

import java.time.Duration;

/**
 * The shared chaos suite on a real PostgreSQL: page churn, failing handlers, PostgreSQL killed (crash recovery on
 * restart), frozen, a node cut off and a node restarted with the same id, while both nodes send; every page still
 * gets each live sender's messages once and in order, and nothing is dropped or missed.
 *
 * <p>Runs 15 s in the normal build. The long run: {@code ./mvnw -pl pubsub-postgres -am test
 * -Dtest=PostgresChaosTest -Dflowpubsub.test.chaosSeconds=300 -Dsurefire.failIfNoSpecifiedTests=false}, with any
 * {@code -Dflowpubsub.test.chaosSeed}.
 */
@Tag("integration")
class PostgresChaosTest extends ClusterChaosSuite {

    private PostgresServer postgres;

    @Override
    protected void startEngine() {
        postgres = PostgresServer.start();
    }

    @Override
    protected int enginePort() {
        return postgres.port();
    }

    /** Short timeouts, as PostgresFaultTest's, so a frozen server is found out in a test's time. */
    @Override
    protected Transport newTransport(int port) {
        return PostgresTransport.builder("jdbc:postgresql://127.0.0.1:" + port + "/postgres")
                .username(postgres.username()).password(postgres.password())
                .commandTimeout(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(200)).build();
    }

    @Override
    protected void killEngine() {
        postgres.kill();
    }

    @Override
    protected void restartEngine() {
        postgres.restart();
    }

    @Override
    protected void freezeEngine() {
        postgres.pause();
    }

    @Override
    protected void resumeEngine() {
        postgres.resume();
    }

    @Override
    protected void closeEngine() {
        if (postgres != null) {
            postgres.close(); // resumed first if frozen; its log stays under target/
        }
    }
}
