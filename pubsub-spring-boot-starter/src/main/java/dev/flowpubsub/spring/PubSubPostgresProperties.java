package dev.flowpubsub.spring;

import org.jspecify.annotations.Nullable;

import java.time.Duration;

/**
 * The PostgreSQL transport's settings, under {@code pubsub.postgres.*} (flow-pubsub-postgres on the classpath).
 * {@code pubsub.postgres.enabled=true} runs the hub on PostgreSQL: on the application's DataSource, or on
 * {@code url}, {@code username} and {@code password} when {@code url} is set.
 *
 * <p>The defaults are written here, not read from {@code PostgresTransport.Builder}: this class is loaded in every
 * application, with or without flow-pubsub-postgres, so it must not name that module's classes. A test checks that
 * each default equals the builder's own. Bound once at startup, by Spring, on the thread that starts the context.
 */
public class PubSubPostgresProperties {

    /**
     * Whether the hub runs on PostgreSQL: on the application's DataSource, or on url, username and password when url
     * is set. Not together with pubsub.redis.uri.
     */
    private boolean enabled = false;

    /** A separate database for the hub, such as jdbc:postgresql://db:5432/app; empty: the application's DataSource. */
    private @Nullable String url;

    /** The user for url (and for the listening connection beside the application's DataSource). */
    private @Nullable String username;

    /** The password for url; never shown in logs or health. */
    private @Nullable String password;

    /** The schema of the transport's tables (a plain lower-case identifier). */
    private String schema = "public";

    /**
     * The prefix of the tables' names: {@code <table>_log} and {@code <table>_history} (a plain lower-case
     * identifier).
     */
    private String table = "flow_pubsub";

    /**
     * Whether the nodes create the tables when missing; false when schema.sql from flow-pubsub-postgres is run by
     * your migrations.
     */
    private boolean createSchema = true;

    /**
     * Whether readers LISTEN to wake up at once; false behind a pooler in transaction mode (PgBouncer), to poll
     * only.
     */
    private boolean listen = true;

    /** How often readers read the log without a notification. */
    private Duration pollInterval = Duration.ofSeconds(1);

    /** How long rows stay in the log for nodes that reconnect. */
    private Duration retention = Duration.ofMinutes(5);

    /** How many rows the log keeps at most. */
    private long maxLength = 100_000;

    /** How long a topic's history stays after its last message. */
    private Duration historyRetention = Duration.ofDays(1);

    /** How many messages a node keeps for the other nodes while PostgreSQL is unreachable. */
    private int outboxCapacity = 50_000;

    /** How many bytes of messages a node keeps for the other nodes while PostgreSQL is unreachable (64 MiB). */
    private long outboxMaxBytes = 67_108_864; // 64 MiB

    /** How long one call to PostgreSQL may take before the connection is taken as lost. */
    private Duration commandTimeout = Duration.ofSeconds(5);

    /**
     * On the application's DataSource: how many of its pool's connections the hub holds at most at once; writes
     * and history reads wait for one of them, so a burst of either leaves the rest to the application. The
     * listening connection counts too when it is one of the pool's, which it is unless spring.datasource.url is a
     * jdbc:postgresql: URL (Docker Compose and Testcontainers service connections set none): then at least 2.
     * Not used with url.
     */
    private int maxPoolConnections = 2;

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public @Nullable String getUrl() {
        return url;
    }

    public void setUrl(@Nullable String url) {
        this.url = url;
    }

    public @Nullable String getUsername() {
        return username;
    }

    public void setUsername(@Nullable String username) {
        this.username = username;
    }

    public @Nullable String getPassword() {
        return password;
    }

    public void setPassword(@Nullable String password) {
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
