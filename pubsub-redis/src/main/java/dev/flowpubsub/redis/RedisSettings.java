package dev.flowpubsub.redis;

import dev.flowpubsub.spi.support.EngineSettings;
import org.jspecify.annotations.Nullable;

import java.nio.file.Path;

/**
 * What a {@link RedisTransport} was built with: the settings every engine transport has, and Redis's own; checked by
 * its builder, whose javadoc says what each means.
 */
record RedisSettings(String stream, EngineSettings engine, @Nullable Path trustedCertificate, int formatVersion) {
}
