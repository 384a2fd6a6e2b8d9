package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.RedisServer;

/** {@link TwoChatServersBrowserTests} on one real {@code redis-server}. */
class TwoServersBrowserTest extends TwoChatServersBrowserTests {

    private RedisServer redis;

    @Override
    protected void startEngine() {
        redis = RedisServer.start();
    }

    @Override
    protected ChatServer startServer(String name) {
        return ChatServer.start(name, redis.uri());
    }

    @Override
    protected void stopEngine() {
        if (redis != null) {
            redis.close();
        }
    }
}
