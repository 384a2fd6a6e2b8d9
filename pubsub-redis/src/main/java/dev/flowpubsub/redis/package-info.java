/**
 * flow-pubsub across nodes on Redis: {@link dev.flowpubsub.redis.RedisTransport}.
 */
package dev.flowpubsub.redis;
