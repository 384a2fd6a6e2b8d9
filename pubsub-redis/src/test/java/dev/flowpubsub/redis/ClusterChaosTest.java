package dev.flowpubsub.redis;

import dev.flowpubsub.ClusterChaosSuite;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.RedisServer;
import org.junit.jupiter.api.Tag;

/**
 * The shared chaos suite on a real redis-server: page churn, failing handlers, Redis killed, frozen, a node cut off
 * and a node restarted with the same id, while both nodes send; every page still gets each live sender's messages
 * once and in order, and nothing is dropped or missed.
 *
 * <p>Runs 20 s in the normal build. The long run: {@code ./mvnw -pl pubsub-redis -am test -Dtest=ClusterChaosTest
 * -Dflowpubsub.test.chaosSeconds=300 -Dsurefire.failIfNoSpecifiedTests=false}, with any
 * {@code -Dflowpubsub.test.chaosSeed}.
 */
@Tag("integration")
class ClusterChaosTest extends ClusterChaosSuite {

    private RedisServer redis;

    @Override
    protected void startEngine() {
        redis = RedisServer.start(); // appendonly yes, appendfsync always: what Redis acknowledged survives its kill
    }

    @Override
    protected int enginePort() {
        return redis.port();
    }

    @Override
    protected Transport newTransport(int port) {
        return RedisTransport.create("redis://127.0.0.1:" + port);
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
