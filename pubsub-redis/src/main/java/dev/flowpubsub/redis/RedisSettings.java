package dev.flowpubsub.redis;

import java.nio.file.Path;
import java.time.Duration;

/** What a {@link RedisTransport} was built with; checked by its builder, whose javadoc says what each means. */
record RedisSettings(String stream, Duration retention, long maxLength, int outboxCapacity, long outboxMaxBytes,
                     Duration commandTimeout, Path trustedCertificate, Duration historyRetention, int formatVersion) {
}
