package dev.flowpubsub.redis;

import dev.flowpubsub.TransportConformanceSuite;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.RedisServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** The shared transport suite on a real redis-server: what every transport must do, Redis does. */
@Tag("integration")
class RedisTransportTest extends TransportConformanceSuite {

    private RedisServer redis;

    @BeforeEach
    void startRedis() {
        redis = RedisServer.start();
    }

    @AfterEach
    void stopRedis() {
        if (redis != null) {
            redis.close();
        }
    }

    @Override
    protected Transport newTransport() {
        return RedisTransport.create(redis.uri());
    }

    @Override
    protected void stopEngine() {
        redis.kill();
    }

    @Override
    protected void startEngine() {
        redis.restart();
    }
}
