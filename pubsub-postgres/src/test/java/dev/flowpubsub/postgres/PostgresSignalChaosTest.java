package dev.flowpubsub.postgres;

import dev.flowpubsub.SignalChaosSuite;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;

import java.time.Duration;

/**
 * The shared signal chaos suite on a real PostgreSQL: three nodes write list and number signals while a node is
 * killed and restarted, PostgreSQL is killed (crash recovery on restart), frozen and replaced by an empty server on
 * the same port, and a node is cut off past the log's retention; every node that reaches PostgreSQL ends each step
 * with the same signals, and nothing confirmed is lost but what the documented limit allows.
 *
 * <p>One round of faults in the normal build. The long run: {@code ./mvnw -pl pubsub-postgres -am test
 * -Dtest=PostgresSignalChaosTest -Dflowpubsub.test.signalChaosSeconds=300 -Dsurefire.failIfNoSpecifiedTests=false},
 * with any {@code -Dflowpubsub.test.signalChaosSeed}.
 */
@Tag("integration")
class PostgresSignalChaosTest extends SignalChaosSuite {

    private PostgresServer postgres;

    @Override
    protected void startEngine() {
        postgres = PostgresServer.start();
    }

    @Override
    protected int enginePort() {
        return postgres.port();
    }

    /** Short timeouts, as PostgresChaosTest's, so a frozen server is found out within a step. */
    @Override
    protected Transport newTransport(int port) {
        return PostgresTransport.builder("jdbc:postgresql://127.0.0.1:" + port + "/postgres")
                .username(postgres.username()).password(postgres.password())
                .commandTimeout(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(100)).build();
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
    protected void restartEngineEmpty() {
        postgres.restartEmpty(); // its kill finds the server dead already; an empty data folder replaces its own
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
