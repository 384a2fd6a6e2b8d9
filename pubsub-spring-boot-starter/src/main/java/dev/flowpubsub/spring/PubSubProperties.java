package dev.flowpubsub.spring;

import dev.flowpubsub.OverflowPolicy;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.internal.AtmosphereWriteWait;
import dev.flowpubsub.postgres.PostgresTransport;
import dev.flowpubsub.redis.RedisTransport;
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
    private Duration presenceHeartbeat = PubSubHub.Builder.DEFAULT_PRESENCE_HEARTBEAT;

    private final Redis redis = new Redis();

    private final Postgres postgres = new Postgres();

    /**
     * The most delivery lanes that run at once (a watchdog adds lanes when all are stuck on slow pages); empty for
     * 8 per available processor.
     */
    private Integer maxLanes;

    /** The most messages the hub's inbox holds; beyond, pages' sends are refused and server sends wait. */
    private int inboxCapacity = PubSubHub.Builder.DEFAULT_INBOX_CAPACITY;

    /** How long a send from server code waits for room in a full inbox before it fails. */
    private Duration sendTimeout = PubSubHub.Builder.DEFAULT_SEND_TIMEOUT;

    private final SendBudget sendBudget = new SendBudget();

    private final Presence presence = new Presence();

    private final Push push = new Push();

    public History getHistory() {
        return history;
    }

    public Integer getMaxLanes() {
        return maxLanes;
    }

    public void setMaxLanes(Integer maxLanes) {
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
        private double rate = PubSubHub.Builder.DEFAULT_SEND_RATE;

        /** Messages at once. */
        private int burst = PubSubHub.Builder.DEFAULT_SEND_BURST;

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
        private Duration disconnectGrace = PubSubHub.Builder.DEFAULT_PRESENCE_DISCONNECT_GRACE;

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

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public Redis getRedis() {
        return redis;
    }

    public Postgres getPostgres() {
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

    /** The Redis transport, from flow-pubsub-redis. */
    public static class Redis {

        /**
         * Redis to run the hub on, such as redis://:password@host:6379 or rediss://host:6380; none: single server.
         * An empty or blank value is the same as none, so PUBSUB_REDIS_URI= turns Redis off.
         */
        private String uri;

        /** The stream (key) that carries the messages; nodes of one application share it. */
        private String stream = RedisTransport.Builder.DEFAULT_STREAM;

        /** How long entries stay in the stream for nodes that reconnect; empty for 5 minutes. */
        private Duration retention;

        /** About how many entries the stream keeps at most. */
        private long maxLength = RedisTransport.Builder.DEFAULT_MAX_LENGTH;

        /** How many messages a node keeps for the other nodes while Redis is unreachable. */
        private int outboxCapacity = RedisTransport.Builder.DEFAULT_OUTBOX_CAPACITY;

        /** How many bytes of messages a node keeps for the other nodes while Redis is unreachable. */
        private long outboxMaxBytes = RedisTransport.Builder.DEFAULT_OUTBOX_MAX_BYTES;

        /** How long one Redis command may take before the connection is taken as lost; empty for 5 seconds. */
        private Duration commandTimeout;

        /**
         * How long a topic's history stays in Redis after its last message (topics with history only); empty for
         * 1 day.
         */
        private Duration historyRetention;

        /** A PEM file of certificates to trust for rediss:// (a private CA or a self-signed certificate). */
        private Path trustedCertificate;

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

    /** PostgreSQL as the engine across servers (flow-pubsub-postgres on the classpath). */
    public static class Postgres {

        /** Whether the hub runs on PostgreSQL: on the application's DataSource, or on url, username and password when url is set. Not together with pubsub.redis.uri. */
        private boolean enabled = false;

        /** A separate database for the hub, such as jdbc:postgresql://db:5432/app; empty: the application's DataSource. */
        private String url;

        /** The user for url (and for the listening connection beside the application's DataSource). */
        private String username;

        /** The password for url; never shown in logs or health. */
        private String password;

        /** The schema of the transport's tables (a plain lower-case identifier). */
        private String schema = PostgresTransport.Builder.DEFAULT_SCHEMA;

        /** The prefix of the tables' names: {@code <table>_log} and {@code <table>_history} (a plain lower-case identifier). */
        private String table = PostgresTransport.Builder.DEFAULT_TABLE;

        /** Whether the nodes create the tables when missing; false when schema.sql from flow-pubsub-postgres is run by your migrations. */
        private boolean createSchema = true;

        /** Whether readers LISTEN to wake up at once; false behind a pooler in transaction mode (PgBouncer), to poll only. */
        private boolean listen = true;

        /** How often readers read the log without a notification; empty for 1 second. */
        private Duration pollInterval;

        /** How long rows stay in the log for nodes that reconnect; empty for 5 minutes. */
        private Duration retention;

        /** How many rows the log keeps at most. */
        private long maxLength = PostgresTransport.Builder.DEFAULT_MAX_LENGTH;

        /** How long a topic's history stays after its last message; empty for 1 day. */
        private Duration historyRetention;

        /** How many messages a node keeps for the other nodes while PostgreSQL is unreachable. */
        private int outboxCapacity = PostgresTransport.Builder.DEFAULT_OUTBOX_CAPACITY;

        /** How many bytes of messages a node keeps for the other nodes while PostgreSQL is unreachable. */
        private long outboxMaxBytes = PostgresTransport.Builder.DEFAULT_OUTBOX_MAX_BYTES;

        /** How long one call to PostgreSQL may take before the connection is taken as lost; empty for 5 seconds. */
        private Duration commandTimeout;

        /**
         * On the application's DataSource: how many of its pool's connections the hub holds at most at once; writes
         * and history reads wait for one of them, so a burst of either leaves the rest to the application. The
         * listening connection counts too when it is one of the pool's, which it is unless spring.datasource.url is a
         * jdbc:postgresql: URL (Docker Compose and Testcontainers service connections set none): then at least 2.
         * Not used with url.
         */
        private int maxPoolConnections = PostgresTransport.Builder.DEFAULT_MAX_POOL_CONNECTIONS;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getUsername() {
            return username;
        }

        public void setUsername(String username) {
            this.username = username;
        }

        public String getPassword() {
            return password;
        }

        public void setPassword(String password) {
            this.password = password;
        }

        public String getSchema() {
            return schema;
        }

        public void setSchema(String schema) {
            this.schema = schema;
        }

        public String getTable() {
            return table;
        }

        public void setTable(String table) {
            this.table = table;
        }

        public boolean isCreateSchema() {
            return createSchema;
        }

        public void setCreateSchema(boolean createSchema) {
            this.createSchema = createSchema;
        }

        public boolean isListen() {
            return listen;
        }

        public void setListen(boolean listen) {
            this.listen = listen;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
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

        public Duration getHistoryRetention() {
            return historyRetention;
        }

        public void setHistoryRetention(Duration historyRetention) {
            this.historyRetention = historyRetention;
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

        public int getMaxPoolConnections() {
            return maxPoolConnections;
        }

        public void setMaxPoolConnections(int maxPoolConnections) {
            this.maxPoolConnections = maxPoolConnections;
        }
    }
}
