/**
 * Micrometer meters for a {@link dev.flowpubsub.PubSubHub}. Needs {@code io.micrometer:micrometer-core} on the
 * classpath (an optional dependency of flow-pubsub).
 */
@NullMarked
package dev.flowpubsub.micrometer;

import org.jspecify.annotations.NullMarked;
