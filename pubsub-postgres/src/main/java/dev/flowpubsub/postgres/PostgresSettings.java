package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.support.EngineSettings;

import java.time.Duration;

/**
 * What a {@link PostgresTransport} was built with: the settings every engine transport has, and PostgreSQL's own;
 * checked by its builder, whose javadoc says what each means, and here for what they must be together.
 */
record PostgresSettings(PostgresSchema schema, EngineSettings engine, Duration pollInterval, boolean listen,
                        boolean createSchema, Duration trimInterval) {

    PostgresSettings {
        if (pollInterval.compareTo(engine.commandTimeout()) >= 0) {
            throw new IllegalArgumentException("pollInterval (" + pollInterval + ") must be shorter than "
                    + "commandTimeout (" + engine.commandTimeout()
                    + "): the reader waits that long for a notification");
        }
    }
}
