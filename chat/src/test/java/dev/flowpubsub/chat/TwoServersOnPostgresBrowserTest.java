package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.PostgresServer;

/**
 * {@link TwoChatServersBrowserTests} on one real PostgreSQL ({@code pubsub.postgres.enabled=true},
 * {@code pubsub.postgres.url}): the chat must behave exactly as it does on Redis.
 */
class TwoServersOnPostgresBrowserTest extends TwoChatServersBrowserTests {

    private PostgresServer postgres;

    @Override
    protected void startEngine() {
        postgres = PostgresServer.start();
    }

    @Override
    protected ChatServer startServer(String name) {
        return ChatServer.startOnPostgres(name, postgres.jdbcUrl());
    }

    @Override
    protected void stopEngine() {
        if (postgres != null) {
            postgres.close();
        }
    }
}
