package dev.flowpubsub.spring;

import dev.flowpubsub.OverflowPolicy;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubHubBuilder;
import dev.flowpubsub.internal.AtmosphereWriteWait;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Settings of the application's {@link PubSubHub}, under {@code pubsub.*}. Every one has a default fit for
 * most applications, so none needs to be set; {@code pubsub.redis.uri} (or the environment variable
 * {@code PUBSUB_REDIS_URI}) turns a single-server hub into a cluster on Redis, {@code pubsub.postgres.enabled=true}
 * into one on PostgreSQL. The engines' settings are in {@link PubSubRedisProperties} ({@code pubsub.redis.*}) and
 * {@link PubSubPostgresProperties} ({@code pubsub.postgres.*}), which name no class of the optional modules.
 *
 * <p>Bound once at startup, by Spring, on the thread that starts the context; read-only after that.
 */
@ConfigurationProperties(prefix = "pubsub")
public class PubSubProperties {

    /** How many messages may wait for one page before the overflow policy applies. */
    private int queueCapacity = PubSubHubBuilder.DEFAULT_QUEUE_CAPACITY;

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
    private int maxMessageBytes = PubSubHubBuilder.DEFAULT_MAX_MESSAGE_BYTES;

    /** This node's id in the cluster; random per start when empty. Must be unique among running nodes. */
    private @Nullable String nodeId;

    private final History history = new History();

    /** With a transport: how often each node announces its presence entries; silent nodes' go after three. */
    private Duration presenceHeartbeat = PubSubHubBuilder.DEFAULT_PRESENCE_HEARTBEAT;

    /** The Redis transport (flow-pubsub-redis). */
    @NestedConfigurationProperty
    private final PubSubRedisProperties redis = new PubSubRedisProperties();

    /** The PostgreSQL transport (flow-pubsub-postgres). */
    @NestedConfigurationProperty
    private final PubSubPostgresProperties postgres = new PubSubPostgresProperties();

    /**
     * The most delivery lanes that run at once (a watchdog adds lanes when all are stuck on slow pages); empty for
     * 8 per available processor.
     */
    private @Nullable Integer maxLanes;

    /** The most messages the hub's inbox holds; beyond, pages' sends are refused and server sends wait. */
    private int inboxCapacity = PubSubHubBuilder.DEFAULT_INBOX_CAPACITY;

    /** How long a send from server code waits for room in a full inbox before it fails. */
    private Duration sendTimeout = PubSubHubBuilder.DEFAULT_SEND_TIMEOUT;

    private final SendBudget sendBudget = new SendBudget();

    private final Presence presence = new Presence();

    private final Push push = new Push();

    public History getHistory() {
        return history;
    }

    public @Nullable Integer getMaxLanes() {
        return maxLanes;
    }

    public void setMaxLanes(@Nullable Integer maxLanes) {
        this.maxLanes = maxLanes;
    }

    public int getInboxCapacity() {
        return inboxCapacity;
    }

    public void setInboxCapacity(int inboxCapacity) {
        this.inboxCapacity = inboxCapacity;
    }

    public Duration getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public SendBudget getSendBudget() {
        return sendBudget;
    }

    public Presence getPresence() {
        return presence;
    }

    public Push getPush() {
        return push;
    }

    /**
     * How fast one browser session (all its tabs together) may send through its pages: {@code burst} messages at
     * once, then {@code rate} per second. Sends from server code through the {@code PubSubHub} bean are not counted.
     */
    public static class SendBudget {

        /** Whether pages' sends are budgeted at all. */
        private boolean enabled = true;

        /** Messages per second, once the burst is used up. */
        private double rate = PubSubHubBuilder.DEFAULT_SEND_RATE;

        /** Messages at once. */
        private int burst = PubSubHubBuilder.DEFAULT_SEND_BURST;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public double getRate() {
            return rate;
        }

        public void setRate(double rate) {
            this.rate = rate;
        }

        public int getBurst() {
            return burst;
        }

        public void setBurst(int burst) {
            this.burst = burst;
        }
    }

    /** Vaadin's push (Atmosphere), as flow-pubsub sets it. */
    public static class Push {

        /**
         * How long Atmosphere keeps a write thread on a browser's connection after a push, waiting for the next one
         * (its {@code org.atmosphere.cpr.Broadcaster.threadWaitTime}), in whole milliseconds such as {@code 1ms}.
         * Atmosphere's own 100 ms makes one message to more than 200 pages take about half a second; empty leaves
         * Atmosphere's own. A value the application sets on the Vaadin servlet itself is kept.
         */
        private String atmosphereWriteWait = AtmosphereWriteWait.DEFAULT_MILLIS + "ms";

        public String getAtmosphereWriteWait() {
            return atmosphereWriteWait;
        }

        public void setAtmosphereWriteWait(String atmosphereWriteWait) {
            this.atmosphereWriteWait = atmosphereWriteWait;
        }
    }

    /** Presence (who is on a topic). */
    public static class Presence {

        /**
         * How long a page's push connection may be lost (a browser crashed, was killed or lost its network) before
         * its presence entries end; a reconnect within it changes nothing.
         */
        private Duration disconnectGrace = PubSubHubBuilder.DEFAULT_PRESENCE_DISCONNECT_GRACE;

        public Duration getDisconnectGrace() {
            return disconnectGrace;
        }

        public void setDisconnectGrace(Duration disconnectGrace) {
            this.disconnectGrace = disconnectGrace;
        }
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

    public @Nullable String getNodeId() {
        return nodeId;
    }

    public void setNodeId(@Nullable String nodeId) {
        this.nodeId = nodeId;
    }

    public PubSubRedisProperties getRedis() {
        return redis;
    }

    public PubSubPostgresProperties getPostgres() {
        return postgres;
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
}
