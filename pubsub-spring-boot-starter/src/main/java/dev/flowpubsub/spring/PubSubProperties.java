package dev.flowpubsub.spring;

import dev.flowpubsub.OverflowPolicy;
import dev.flowpubsub.PubSubHub;
import org.springframework.boot.context.properties.ConfigurationProperties;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the application's {@link PubSubHub}, under {@code pubsub.*}. Every one has a default fit for
 * most applications, so none needs to be set; {@code pubsub.redis.uri} (or the environment variable
 * {@code PUBSUB_REDIS_URI}) turns a single-server hub into a cluster on Redis.
 */
@ConfigurationProperties(prefix = "pubsub")
public class PubSubProperties {

    /** How many messages may wait for one page before the overflow policy applies. */
    private int queueCapacity = PubSubHub.Builder.DEFAULT_QUEUE_CAPACITY;

    /** What a full page queue does with a new message: DROP_OLDEST or DROP_NEWEST. */
    private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;

    /**
     * The shortest time between two batches (two pushes) of one page; 0 for none. Messages arriving sooner wait
     * and go to the page together, for apps where many pages get several messages a second.
     */
    private Duration minBatchInterval = Duration.ZERO;

    /**
     * Classes (records, enums) that may be sent across nodes, besides strings, numbers, booleans and
     * collections of them. Only used with a transport.
     */
    private List<Class<?>> allowedTypes = new ArrayList<>();

    /** The largest encoded message sent across nodes, in bytes. */
    private int maxMessageBytes = PubSubHub.Builder.DEFAULT_MAX_MESSAGE_BYTES;

    /** This node's id in the cluster; random per start when empty. Must be unique among running nodes. */
    private String nodeId;

    private final History history = new History();

    /** With a transport: how often each node announces its presence entries; silent nodes' go after three. */
    private Duration presenceHeartbeat = Duration.ofSeconds(5);

    private final Redis redis = new Redis();

    public History getHistory() {
        return history;
    }

    public Duration getMinBatchInterval() {
        return minBatchInterval;
    }

    public void setMinBatchInterval(Duration minBatchInterval) {
        this.minBatchInterval = minBatchInterval;
    }

    public Duration getPresenceHeartbeat() {
        return presenceHeartbeat;
    }

    public void setPresenceHeartbeat(Duration presenceHeartbeat) {
        this.presenceHeartbeat = presenceHeartbeat;
    }

    public int getQueueCapacity() {
        return queueCapacity;
    }

    public void setQueueCapacity(int queueCapacity) {
        this.queueCapacity = queueCapacity;
    }

    public OverflowPolicy getOverflowPolicy() {
        return overflowPolicy;
    }

    public void setOverflowPolicy(OverflowPolicy overflowPolicy) {
        this.overflowPolicy = overflowPolicy;
    }

    public List<Class<?>> getAllowedTypes() {
        return allowedTypes;
    }

    public void setAllowedTypes(List<Class<?>> allowedTypes) {
        this.allowedTypes = allowedTypes;
    }

    public int getMaxMessageBytes() {
        return maxMessageBytes;
    }

    public void setMaxMessageBytes(int maxMessageBytes) {
        this.maxMessageBytes = maxMessageBytes;
    }

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public Redis getRedis() {
        return redis;
    }

    /**
     * Which topics keep their last messages for pages subscribing with history, such as
     * {@code pubsub.history.size=50} and {@code pubsub.history.topic-prefixes=room:}. A {@code HistoryPolicy}
     * bean replaces it. Off unless both are set.
     */
    public static class History {

        /** How many of each such topic's last messages to keep (1 to 10,000); 0 for none. */
        private int size;

        /** Topic prefixes whose topics keep history; an empty prefix matches every topic. */
        private List<String> topicPrefixes = new ArrayList<>();

        public int getSize() {
            return size;
        }

        public void setSize(int size) {
            this.size = size;
        }

        public List<String> getTopicPrefixes() {
            return topicPrefixes;
        }

        public void setTopicPrefixes(List<String> topicPrefixes) {
            this.topicPrefixes = topicPrefixes;
        }
    }

    /** The Redis transport, from flow-pubsub-redis. */
    public static class Redis {

        /**
         * Redis to run the hub on, such as redis://:password@host:6379 or rediss://host:6380; none: single server.
         * An empty or blank value is the same as none, so PUBSUB_REDIS_URI= turns Redis off.
         */
        private String uri;

        /** The stream (key) that carries the messages; nodes of one application share it. */
        private String stream = "flow-pubsub:messages";

        /** How long entries stay in the stream for nodes that reconnect. */
        private Duration retention = Duration.ofMinutes(5);

        /** About how many entries the stream keeps at most. */
        private long maxLength = 100_000;

        /** How many messages a node keeps for the other nodes while Redis is unreachable. */
        private int outboxCapacity = 50_000;

        /** A PEM file of certificates to trust for rediss:// (a private CA or a self-signed certificate). */
        private Path trustedCertificate;

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
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

        public Path getTrustedCertificate() {
            return trustedCertificate;
        }

        public void setTrustedCertificate(Path trustedCertificate) {
            this.trustedCertificate = trustedCertificate;
        }
    }
}
