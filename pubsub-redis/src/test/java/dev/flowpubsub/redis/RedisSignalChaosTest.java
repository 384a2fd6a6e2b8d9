package dev.flowpubsub.redis;

import dev.flowpubsub.SignalChaosSuite;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.RedisServer;
import org.junit.jupiter.api.Tag;

import java.time.Duration;

/**
 * The shared signal chaos suite on a real redis-server: three nodes write list and number signals while a node is
 * killed and restarted, Redis is killed (AOF, fsync always: it keeps what it acknowledged), frozen and restarted
 * empty, and a node is cut off past the log's retention; every node that reaches Redis ends each step with the same
 * signals, and nothing confirmed is lost but what the documented limit allows.
 *
 * <p>One round of faults in the normal build. The long run: {@code ./mvnw -pl pubsub-redis -am test
 * -Dtest=RedisSignalChaosTest -Dflowpubsub.test.signalChaosSeconds=300 -Dsurefire.failIfNoSpecifiedTests=false},
 * with any {@code -Dflowpubsub.test.signalChaosSeed}.
 */
@Tag("integration")
class RedisSignalChaosTest extends SignalChaosSuite {

    private RedisServer redis;

    @Override
    protected void startEngine() {
        redis = RedisServer.start();
    }

    @Override
    protected int enginePort() {
        return redis.port();
    }

    /** A 1 s command timeout, as RedisSignalLogTest's: a frozen Redis fails calls within about 2 s. */
    @Override
    protected Transport newTransport(int port) {
        return RedisTransport.builder("redis://127.0.0.1:" + port).commandTimeout(Duration.ofSeconds(1)).build();
    }

    @Override
    protected void killEngine() {
        redis.kill();
    }

    @Override
    protected void restartEngine() {
        redis.restart();
    }

    @Override
    protected void restartEngineEmpty() {
        redis.restartEmpty(); // its kill finds Redis dead already; its data files go
    }

    @Override
    protected void freezeEngine() {
        redis.pause();
    }

    @Override
    protected void resumeEngine() {
        redis.resume();
    }

    @Override
    protected void closeEngine() {
        if (redis != null) {
            redis.close();
        }
    }
}
