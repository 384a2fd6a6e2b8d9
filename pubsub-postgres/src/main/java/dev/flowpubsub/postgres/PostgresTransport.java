package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.TransportHealth;
import dev.flowpubsub.spi.support.Arguments;
import dev.flowpubsub.spi.support.EngineConnection;
import dev.flowpubsub.spi.support.EngineSettings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Runs flow-pubsub across nodes on PostgreSQL, with pgjdbc: for applications that already run one.
 *
 * <pre>{@code
 * PubSubHub.builder()
 *         .transport(PostgresTransport.create("jdbc:postgresql://db.internal:5432/app", "app", password))
 *         .codec(JsonCodec.allowing(ChatMessage.class))
 *         .install(service);
 * }</pre>
 *
 * <h2>How it works</h2>
 * Messages are rows of an append-only table with a monotonic id, {@code <schema>.<table>_log}: the ordered log.
 * Every node appends what it sends (one transaction per batch) and reads what the others appended
 * ({@code id > the last it saw}); {@code LISTEN}/{@code NOTIFY} only wakes the readers. So the only limit on a
 * message's size is the hub's own ({@code maxMessageBytes}), and after a reconnect a node reads on from the last id
 * it saw: nothing lost, nothing twice, each sender's order kept. Ids are taken at insert but transactions could
 * commit in another order, and a reader could then pass a row that commits late; so appends are serialized by an
 * advisory lock taken in the appending transaction (see {@link PostgresWriter}), and ids commit in increasing order.
 *
 * <p>Per node: one reading connection, held, that {@code LISTEN}s (outside the application's pool when given a
 * {@link Builder#listenerUrl listenerUrl}); one writing connection; one for history reads, queued and read many topics
 * per query; two for shared signals, once used ({@link PostgresSignalLog}). On the application's {@link DataSource} the
 * others are borrowed per use, and the transport holds at most {@link Builder#maxPoolConnections maxPoolConnections}
 * (default 2) of the pool's at once, the reader's included. Behind a pooler in transaction mode (PgBouncer)
 * notifications do not come through: the reader finds out, logs it and polls every
 * {@link Builder#pollInterval(Duration) pollInterval} ({@link Builder#listen(boolean) listen(false)}: without trying).
 *
 * <h2>Guarantees and their limits</h2>
 * <ul>
 * <li><b>No loss across reconnects.</b> A node that loses PostgreSQL keeps delivering locally; what it sends
 * meanwhile waits in a bounded outbox (default 50,000 messages and 64 MiB) and is appended, in order, when
 * PostgreSQL is back. Its reader reads on from the last id it saw.</li>
 * <li><b>Retention.</b> The log keeps {@link Builder#maxLength(long) maxLength} rows (default 100,000) and trims rows
 * older than {@link Builder#retention(Duration) retention} (default 5 minutes); the nodes trim it themselves, one at
 * a time, every 10 seconds. A node away for longer misses what was trimmed: the hub counts it
 * ({@code remoteMissed}) and logs it. Topic histories are kept apart, in {@code <schema>.<table>_history}: each
 * topic's last messages (as many as the {@code HistoryPolicy} keeps), dropped when its newest is older than
 * {@link Builder#historyRetention(Duration) historyRetention} (default 1 day).</li>
 * <li><b>Node restarts.</b> A node starts reading at the log's end; a restarted node is a new instance to the others
 * (its id carries the epoch of its start).</li>
 * <li><b>Order.</b> Each node's messages reach every other node in the order sent; all nodes see other nodes'
 * messages in log order.</li>
 * </ul>
 *
 * <p>Schema: the tables are created on start when missing (the shared signals', {@code signals.sql}, when the first is
 * made), in the configured {@link Builder#schema(String) schema} and {@link Builder#table(String) table} name (checked
 * to be plain identifiers); teams that manage their own migrations run {@code dev/flowpubsub/postgres/schema.sql} and
 * {@code signals.sql} from this jar and set {@link Builder#createSchema(boolean) createSchema(false)}.
 *
 * <p>No password reaches a log, {@link #health()}, {@link #toString()} or an error message: the address shown is the
 * JDBC URL without user information or query string.
 *
 * <p>Threading: {@link #publish} only appends to the outbox. Two platform threads per node, a reader and a writer,
 * talk to PostgreSQL; both reconnect with a jittered backoff (100 ms growing to 2 s) while it is unreachable. Every
 * call has a network timeout ({@link Builder#commandTimeout(Duration) commandTimeout}), so a frozen server is found
 * out. A third platform thread reads topics' histories.
 */
public final class PostgresTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresTransport.class);

    private final PostgresSettings settings;
    private final ConnectionSource source;
    private final ConnectionSource listenSource;
    private final String displayUrl;
    private final EngineConnection state;
    /** Scrubs secrets out of error texts before they are kept or logged. */
    private final UnaryOperator<String> redactor;
    private final SchemaInstaller installer;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    /** The parts {@link #start} made; null before. */
    private volatile @Nullable PostgresRunning running;

    private PostgresTransport(Builder builder) {
        PostgresSchema schema = new PostgresSchema(builder.schema, builder.table);
        this.settings = new PostgresSettings(schema, builder.engine, builder.pollInterval, builder.listen,
                builder.createSchema, builder.trimInterval);
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, builder.engine.commandTimeout().toMillis());
        String url = builder.url;
        DataSource pool = builder.dataSource;
        ConnectionSource direct = url == null ? null
                : ConnectionSource.direct(url, builder.username, builder.password, timeoutMillis);
        ConnectionSource main = pool != null
                ? ConnectionSource.pooled(pool, timeoutMillis, builder.maxPoolConnections, direct != null) : direct;
        if (main == null) {
            throw new IllegalStateException("a PostgresTransport needs a URL or a DataSource"); // the builders give one
        }
        this.source = main;
        this.listenSource = direct != null ? direct : source;
        this.displayUrl = builder.url != null ? PostgresUrls.display(builder.url) : "(the application's DataSource)";
        this.redactor = PostgresUrls.redactor(builder.url, builder.password);
        this.state = new EngineConnection("PostgreSQL", displayUrl, redactor, LOG);
        this.installer = new SchemaInstaller(schema, builder.createSchema);
    }

    /** A transport on the database at {@code jdbcUrl} ({@code jdbc:postgresql://host:port/database}). */
    public static PostgresTransport create(String jdbcUrl, String username, String password) {
        return builder(jdbcUrl).username(username).password(password).build();
    }

    /**
     * A transport on the application's {@code dataSource}; its reader holds one of the pool's connections, as no
     * other URL is given (see {@link Builder#listenerUrl(String)}).
     */
    public static PostgresTransport create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /** Settings for a transport on the database at {@code jdbcUrl}, with connections of its own. */
    public static Builder builder(String jdbcUrl) {
        return new Builder(null).url(jdbcUrl);
    }

    /**
     * Settings for a transport on the application's {@code dataSource}: writes and history reads borrow its
     * connections. Give {@link Builder#listenerUrl(String)} (and credentials) so the reader's held connection is not
     * one of the pool's.
     */
    public static Builder builder(DataSource dataSource) {
        return new Builder(Arguments.notNull(dataSource, "dataSource"));
    }

    @Override
    public void start(TransportContext context) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this PostgresTransport was started already: give each hub its own");
        }
        Objects.requireNonNull(context, "context must not be null");
        PostgresReader reader = new PostgresReader(listenSource, installer, settings, state, context);
        reader.findStart();
        PostgresWriter writer = new PostgresWriter(source, installer, settings, state, context, displayUrl);
        PostgresHistory history = new PostgresHistory(source, settings.schema(), context, reader::handedOver,
                displayUrl, redactor, settings.engine().commandTimeout());
        running = PostgresRunning.start(reader, writer, history, new PostgresSignalLog(listenSource, source, settings,
                displayUrl, redactor, context.nodeId()), context.nodeId());
        LOG.info("flow-pubsub: node {} on PostgreSQL {} (log {})", context.nodeId(), displayUrl, settings.schema().log);
    }

    @Override
    public void publish(TransportEnvelope envelope) {
        PostgresRunning parts = running;
        if (!closed && parts != null) {
            parts.writer().offer(envelope);
        }
    }

    @Override
    public CompletionStage<List<TransportEnvelope>> history(String topic, int limit) {
        PostgresRunning parts = running;
        return parts == null ? CompletableFuture.failedFuture(new IllegalStateException("not started"))
                : parts.history().read(topic, limit);
    }

    @Override
    public Optional<SignalLog> signalLog() {
        return Optional.ofNullable(running).map(PostgresRunning::signals);
    }

    @Override
    public TransportHealth health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", "postgres");
        details.put("url", displayUrl);
        details.put("log", settings.schema().log);
        details.put("reader", state.reader().name());
        details.put("writer", state.writer().name());
        PostgresRunning.describe(running, details);
        String lastError = state.lastError();
        if (lastError != null) {
            details.put("lastError", lastError);
        }
        boolean up = started.get() && !closed && state.isUp();
        return up ? TransportHealth.up(details) : TransportHealth.down(details);
    }

    /** How many of this node's messages wait in the outbox's queue, not yet taken into the writer's batch. */
    int outboxWaiting() {
        PostgresRunning parts = running;
        return parts == null ? 0 : parts.writer().waiting();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        PostgresRunning parts = running;
        if (parts != null) {
            parts.stop(settings.pollInterval());
        }
    }

    @Override
    public String toString() {
        return "PostgresTransport[" + displayUrl + ", log " + settings.schema().log + "]";
    }

    /** Settings of a {@link PostgresTransport}; each has a default fit for most applications. */
    public static final class Builder {

        /** Default schema of the tables. */
        public static final String DEFAULT_SCHEMA = "public";
        /** Default prefix of the tables' names: {@code flow_pubsub_log}, {@code flow_pubsub_signals} and others. */
        public static final String DEFAULT_TABLE = "flow_pubsub";
        /** Default time rows stay in the log for nodes that reconnect. */
        public static final Duration DEFAULT_RETENTION = EngineSettings.DEFAULT_RETENTION;
        /** Default number of rows the log keeps at most. */
        public static final long DEFAULT_MAX_LENGTH = EngineSettings.DEFAULT_MAX_LENGTH;
        /** Default time a topic's history stays after its last message. */
        public static final Duration DEFAULT_HISTORY_RETENTION = EngineSettings.DEFAULT_HISTORY_RETENTION;
        /** Default number of messages a node keeps for the others while PostgreSQL is unreachable. */
        public static final int DEFAULT_OUTBOX_CAPACITY = EngineSettings.DEFAULT_OUTBOX_CAPACITY;
        /** Default payload bytes a node keeps for the others while PostgreSQL is unreachable (64 MiB). */
        public static final long DEFAULT_OUTBOX_MAX_BYTES = EngineSettings.DEFAULT_OUTBOX_MAX_BYTES;
        /** Default time one call to PostgreSQL may take. */
        public static final Duration DEFAULT_COMMAND_TIMEOUT = EngineSettings.DEFAULT_COMMAND_TIMEOUT;
        /** Default time between two reads of the log without a notification. */
        public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(1);
        /** Default number of the application's pool connections a transport on a DataSource holds at most at once. */
        public static final int DEFAULT_MAX_POOL_CONNECTIONS = 2;

        private final @Nullable DataSource dataSource;
        private @Nullable String url;
        private @Nullable String username;
        private @Nullable String password;
        private String schema = DEFAULT_SCHEMA;
        private String table = DEFAULT_TABLE;
        private EngineSettings engine = EngineSettings.DEFAULTS;
        private Duration pollInterval = DEFAULT_POLL_INTERVAL;
        private boolean listen = true;
        private boolean createSchema = true;
        private Duration trimInterval = Duration.ofSeconds(10);
        private int maxPoolConnections = DEFAULT_MAX_POOL_CONNECTIONS;

        private Builder(@Nullable DataSource dataSource) {
            this.dataSource = dataSource;
        }

        private Builder url(String jdbcUrl) {
            this.url = PostgresUrls.checked(jdbcUrl);
            return this;
        }

        /**
         * On a transport built on a {@link DataSource}: the URL of a direct connection for the reader, which holds
         * its connection and {@code LISTEN}s on it, so it takes none of the pool's. Credentials from
         * {@link #username} and {@link #password}.
         */
        public Builder listenerUrl(String jdbcUrl) {
            if (dataSource == null) {
                throw new IllegalStateException("listenerUrl is for a transport built on a DataSource; this one has "
                        + "its own URL");
            }
            return url(jdbcUrl);
        }

        /** The user of the transport's own connections; null: the one the URL names, if any. */
        public Builder username(@Nullable String username) {
            this.username = username;
            return this;
        }

        /**
         * The password of the transport's own connections, never shown in logs or health; null: the one the URL
         * names, if any.
         */
        public Builder password(@Nullable String password) {
            this.password = password;
            return this;
        }

        /** The schema of the tables; a plain identifier (lower case). Default {@value #DEFAULT_SCHEMA}. */
        public Builder schema(String schema) {
            this.schema = PostgresSchema.identifier(schema, "schema", 63);
            return this;
        }

        /**
         * The prefix of the tables' names ({@code <table>_log}, others in {@code schema.sql} and {@code signals.sql});
         * a plain identifier (lower case), also of the {@code NOTIFY} channels. Default {@value #DEFAULT_TABLE}.
         */
        public Builder table(String table) {
            this.table = PostgresSchema.identifier(table, "table", 49);
            return this;
        }

        /** How long rows stay in the log for nodes that reconnect; at least 1 second. Default 5 minutes. */
        public Builder retention(Duration retention) {
            this.engine = engine.withRetention(retention);
            return this;
        }

        /** How many rows the log keeps at most (trimmed every few seconds). Default 100,000. */
        public Builder maxLength(long maxLength) {
            this.engine = engine.withMaxLength(maxLength);
            return this;
        }

        /** How long a topic's history stays after its last message. Default 1 day. */
        public Builder historyRetention(Duration historyRetention) {
            this.engine = engine.withHistoryRetention(historyRetention);
            return this;
        }

        /** How many messages a node keeps for the other nodes while PostgreSQL is unreachable. Default 50,000. */
        public Builder outboxCapacity(int outboxCapacity) {
            this.engine = engine.withOutboxCapacity(outboxCapacity);
            return this;
        }

        /** How many bytes of messages a node keeps for the others while PostgreSQL is unreachable. Default 64 MiB. */
        public Builder outboxMaxBytes(long outboxMaxBytes) {
            this.engine = engine.withOutboxMaxBytes(outboxMaxBytes);
            return this;
        }

        /** How long one call may take before the connection is taken as lost. Default 5 seconds. */
        public Builder commandTimeout(Duration commandTimeout) {
            this.engine = engine.withCommandTimeout(commandTimeout, Duration.ofMillis(100));
            return this;
        }

        /**
         * How often the reader reads the log without a notification: the safety net while listening, the latency
         * when polling only. Shorter than {@link #commandTimeout}. Default 1 second.
         */
        public Builder pollInterval(Duration pollInterval) {
            this.pollInterval = Arguments.atLeast(pollInterval, Duration.ofMillis(10), "pollInterval");
            return this;
        }

        /**
         * Whether the reader {@code LISTEN}s to wake up at once (default) or only polls: set {@code false} behind a
         * pooler in transaction mode, such as PgBouncer's {@code pool_mode=transaction}.
         */
        public Builder listen(boolean listen) {
            this.listen = listen;
            return this;
        }

        /**
         * Whether the nodes create the tables when missing (default); with {@code false} they expect
         * {@code dev/flowpubsub/postgres/schema.sql} to have been run, and say so while the tables are missing.
         */
        public Builder createSchema(boolean createSchema) {
            this.createSchema = createSchema;
            return this;
        }

        /**
         * On a transport built on a {@link DataSource}: how many of the pool's connections it holds at most at once,
         * the reader's included when no {@link #listenerUrl} is given (then at least 2); writes and history reads wait
         * for one of them, so a burst of either never takes the application's connections. Default
         * {@value #DEFAULT_MAX_POOL_CONNECTIONS}. Ignored with a URL of its own: then it holds three connections of
         * its own, one per thread.
         */
        public Builder maxPoolConnections(int maxPoolConnections) {
            this.maxPoolConnections = Arguments.positive(maxPoolConnections, "maxPoolConnections");
            return this;
        }

        /** How often each node tries to trim the log; only tests change it. */
        Builder trimInterval(Duration trimInterval) {
            this.trimInterval = Arguments.atLeast(trimInterval, Duration.ofMillis(10), "trimInterval");
            return this;
        }

        public PostgresTransport build() {
            return new PostgresTransport(this);
        }
    }
}
