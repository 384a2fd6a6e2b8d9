package dev.flowpubsub.postgres;

import java.time.Duration;

/** What a {@link PostgresTransport} was built with; checked by its builder, whose javadoc says what each means. */
record PostgresSettings(PostgresSchema schema, Duration retention, long maxLength, Duration historyRetention,
                        int outboxCapacity, long outboxMaxBytes, Duration commandTimeout, Duration pollInterval,
                        boolean listen, boolean createSchema, Duration trimInterval) {
}
