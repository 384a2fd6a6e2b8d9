package dev.flowpubsub.spring;

import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The Redis transport's settings, under {@code pubsub.redis.*} (flow-pubsub-redis on the classpath). Only
 * {@code pubsub.redis.uri} is needed; setting it runs the hub on Redis.
 *
 * <p>The defaults are written here, not read from {@code RedisTransport.Builder}: this class is loaded in every
 * application, with or without flow-pubsub-redis, so it must not name that module's classes. A test checks that each
 * default equals the builder's own. Bound once at startup, by Spring, on the thread that starts the context.
 */
public class PubSubRedisProperties {

    /**
     * Redis to run the hub on, such as redis://:password@host:6379 or rediss://host:6380; none: single server.
     * An empty or blank value is the same as none, so PUBSUB_REDIS_URI= turns Redis off.
     */
    private @Nullable String uri;

    /** The stream (key) that carries the messages; nodes of one application share it. */
    private String stream = "flow-pubsub:messages";

    /** How long entries stay in the stream for nodes that reconnect. */
    private Duration retention = Duration.ofMinutes(5);

    /** About how many entries the stream keeps at most. */
    private long maxLength = 100_000;

    /** How many messages a node keeps for the other nodes while Redis is unreachable. */
    private int outboxCapacity = 50_000;

    /** How many bytes of messages a node keeps for the other nodes while Redis is unreachable (64 MiB). */
    private long outboxMaxBytes = 67_108_864; // 64 MiB

    /** How long one Redis command may take before the connection is taken as lost. */
    private Duration commandTimeout = Duration.ofSeconds(5);

    /** How long a topic's history stays in Redis after its last message (topics with history only). */
    private Duration historyRetention = Duration.ofDays(1);

    /** A PEM file of certificates to trust for rediss:// (a private CA or a self-signed certificate). */
    private @Nullable Path trustedCertificate;

    public @Nullable String getUri() {
        return uri;
    }

    public void setUri(@Nullable String uri) {
        this.uri = uri;
    }

    public String getStream() {
        return stream;
    }

    public void setStream(String stream) {
        this.stream = stream;
    }

    public Duration getRetention() {
        return retention;
    }

    public void setRetention(Duration retention) {
        this.retention = retention;
    }

    public long getMaxLength() {
        return maxLength;
    }

    public void setMaxLength(long maxLength) {
        this.maxLength = maxLength;
    }

    public int getOutboxCapacity() {
        return outboxCapacity;
    }

    public void setOutboxCapacity(int outboxCapacity) {
        this.outboxCapacity = outboxCapacity;
    }

    public long getOutboxMaxBytes() {
        return outboxMaxBytes;
    }

    public void setOutboxMaxBytes(long outboxMaxBytes) {
        this.outboxMaxBytes = outboxMaxBytes;
    }

    public Duration getCommandTimeout() {
        return commandTimeout;
    }

    public void setCommandTimeout(Duration commandTimeout) {
        this.commandTimeout = commandTimeout;
    }

    public Duration getHistoryRetention() {
        return historyRetention;
    }

    public void setHistoryRetention(Duration historyRetention) {
        this.historyRetention = historyRetention;
    }

    public @Nullable Path getTrustedCertificate() {
        return trustedCertificate;
    }

    public void setTrustedCertificate(@Nullable Path trustedCertificate) {
        this.trustedCertificate = trustedCertificate;
    }
}
