/**
 * What extension authors implement: a {@link dev.flowpubsub.spi.Transport} that carries messages between the
 * nodes of a cluster, and a {@link dev.flowpubsub.spi.MessageCodec} that encodes them. Applications only pick
 * one, for example {@code RedisTransport} from flow-pubsub-redis.
 */
@NullMarked
package dev.flowpubsub.spi;

import org.jspecify.annotations.NullMarked;
