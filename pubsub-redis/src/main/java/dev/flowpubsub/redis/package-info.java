/**
 * flow-pubsub across nodes on Redis: {@link dev.flowpubsub.redis.RedisTransport}.
 */
@NullMarked
package dev.flowpubsub.redis;

import org.jspecify.annotations.NullMarked;
