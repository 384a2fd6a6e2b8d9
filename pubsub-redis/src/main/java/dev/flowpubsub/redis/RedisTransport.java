package dev.flowpubsub.redis;

import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.TransportHealth;
import dev.flowpubsub.spi.support.Arguments;
import dev.flowpubsub.spi.support.EngineConnection;
import dev.flowpubsub.spi.support.EngineSettings;
import dev.flowpubsub.spi.support.EngineThreads;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs flow-pubsub across nodes on one Redis stream, with Lettuce.
 *
 * <pre>{@code
 * PubSubHub.builder()
 *         .transport(RedisTransport.create("redis://:password@redis.internal:6379"))
 *         .codec(JsonCodec.allowing(ChatMessage.class))
 *         .install(service);
 * }</pre>
 *
 * <h2>How it works</h2>
 * Every node appends what it sends to one stream and reads the stream from the last entry it has seen
 * ({@code XREAD BLOCK}): one reading connection and one writing connection per node, however many pages it has, and
 * a third, opened on demand, to read topic histories. A node's own entries are skipped when read back; it delivered
 * them locally when they were sent. The entry format is versioned (see the field list in the project's docs): a node
 * skips and counts entries of a format version it does not know, so nodes of two releases can run side by side.
 *
 * <h2>Guarantees and their limits</h2>
 * <ul>
 * <li><b>No loss across reconnects.</b> A node that loses Redis keeps delivering locally; what it sends meanwhile
 * waits in a bounded outbox (default 50,000 messages and 64 MiB of payload) and is appended, in order, when Redis is
 * back. When its reader reconnects it reads on from the last entry it saw, so it gets everything the other nodes
 * appended meanwhile, in stream order. Retries never append entries out of order: each append is conditional on
 * the one before it (see {@link RedisWriter}), which also keeps a retry from appending one twice unless Redis lost
 * the writer's key (evicted, or a restart without persistence); receivers skip repeated sequence numbers anyway, and
 * history readers too.</li>
 * <li><b>Retention.</b> The stream keeps about {@link Builder#maxLength(long) maxLength} entries (default 100,000)
 * and trims entries older than {@link Builder#retention(Duration) retention} (default 5 minutes). A node away
 * for longer misses what was trimmed: the hub counts it ({@code PubSubStats.remoteMissed()}) and logs it. Redis
 * cannot trim by size: at worst the stream holds {@code maxLength} times the largest message
 * ({@code PubSubHubBuilder.maxMessageBytes}, 64 KiB by default), so lower one of them if Redis's memory is tight.</li>
 * <li><b>Node restarts.</b> A node starts reading at the stream's end when it first reaches Redis: a restarted
 * node (new pages anyway) does not replay old messages. A node restarted with the same id is a new instance to the
 * others (its id carries the epoch of its start), so its messages and presence are taken at once.</li>
 * <li><b>Redis restarts.</b> Entries acknowledged by Redis survive a Redis restart only if Redis persists them
 * (AOF with {@code appendfsync always} for none lost; {@code everysec} can lose the last second). Outboxes are
 * flushed to the restarted server either way.</li>
 * <li><b>Order.</b> Each node's messages reach every other node in the order sent. Nodes see other nodes'
 * messages in stream order; a node sees its own at the moment they were sent.</li>
 * </ul>
 *
 * <h2>Shared signals</h2>
 * Shared signals ({@code ClusterSignals}) replicate through a log of their own on the same Redis: a stream
 * {@code <stream>:signals} whose entry ids are the log's positions, an epoch key and a snapshot hash per signal name,
 * on two more connections per node, opened when the node makes its first shared signal. The stream has no
 * {@code MAXLEN}: the hubs trim it once they have snapshotted what it held. Like messages, the signals' state
 * survives a Redis restart only if Redis persists it; a Redis that comes back empty has a new epoch, and the nodes
 * write the state they hold into it again.
 *
 * <p>Runs on a standalone Redis (or a primary with replicas, through Sentinel): the append touches the stream and a
 * key of the writer's in one script, which Redis Cluster refuses across hash slots.
 *
 * <p>No password reaches a log, {@link #health()}, {@link #toString()} or an error message: the address shown is built
 * from the parsed URI (scheme, host, port, database). {@code rediss://} connects with TLS.
 *
 * <p>Threading: {@link #publish} only appends to the outbox. Two threads per node, a reader and a writer, talk
 * to Redis; both reconnect with a jittered backoff (100 ms growing to 2 s) while Redis is unreachable. History
 * reads and the shared signals' log calls run on Lettuce's threads.
 */
public final class RedisTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTransport.class);

    private final RedisURI uri;
    private final String displayUri;
    private final RedisSettings settings;
    private final ClientResources resources;
    private final boolean ownsResources;
    private final RedisClient client;
    private final EngineConnection state;
    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private @Nullable RedisReader reader;
    private @Nullable RedisWriter writer;
    private @Nullable RedisHistory history;
    private @Nullable Thread readerThread;
    private @Nullable Thread writerThread;
    private final AtomicReference<@Nullable RedisSignalLog> signalLog = new AtomicReference<>();

    private RedisTransport(Builder builder) {
        this.uri = builder.uri;
        this.displayUri = RedisUris.display(builder.uri);
        this.settings = new RedisSettings(builder.stream, builder.engine, builder.trustedCertificate,
                builder.formatVersion);
        this.state = new EngineConnection("Redis", displayUri, message -> RedisUris.redact(message, uri),
                LOG);
        Duration commandTimeout = Duration.ofMillis(RedisReader.BLOCK_MILLIS).plus(settings.engine().commandTimeout());
        this.uri.setTimeout(commandTimeout);
        ClientResources given = builder.resources;
        this.ownsResources = given == null;
        this.resources = given == null
                ? DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build()
                : given;
        this.client = RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(false) // the reader and writer reconnect themselves, with their own backoff
                .timeoutOptions(TimeoutOptions.enabled(commandTimeout));
        Path trusted = settings.trustedCertificate();
        if (trusted != null) {
            options.sslOptions(SslOptions.builder().trustManager(trusted.toFile()).build());
        }
        client.setOptions(options.build());
    }

    /**
     * A transport on the Redis at {@code uri} ({@code redis://[[user:]password@]host[:port][/database]}, or
     * {@code rediss://} for TLS; a {@code /} in a password is written {@code %2F}), with the default settings.
     */
    public static RedisTransport create(String uri) {
        return builder(uri).build();
    }

    /** Settings for a transport on the Redis at {@code uri}. */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    @Override
    public void start(TransportContext context) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this RedisTransport was started already: give each hub its own");
        }
        Objects.requireNonNull(context, "context must not be null");
        RedisReader newReader = new RedisReader(client, state, context, settings.stream());
        newReader.findStart();
        RedisWriter newWriter = new RedisWriter(client, settings, state, context, displayUri, uri.getTimeout().toMillis());
        reader = newReader;
        writer = newWriter;
        history = new RedisHistory(client, uri, settings.stream(), context, newReader::handedOver, displayUri);
        readerThread = EngineThreads.start("flow-pubsub-redis-reader-" + context.nodeId(), newReader);
        writerThread = EngineThreads.start("flow-pubsub-redis-writer-" + context.nodeId(), newWriter);
        LOG.info("flow-pubsub: node {} on Redis {} (stream '{}')", context.nodeId(), displayUri, settings.stream());
    }

    @Override
    public void publish(TransportEnvelope envelope) {
        RedisWriter current = writer;
        if (!closed && current != null) {
            current.offer(envelope);
        }
    }

    @Override
    public CompletionStage<List<TransportEnvelope>> history(String topic, int limit) {
        RedisHistory current = history;
        return current == null ? CompletableFuture.failedFuture(new IllegalStateException("not started"))
                : current.read(topic, limit);
    }

    /**
     * The shared signals' log on this Redis ({@code RedisSignalLog}: keys under {@code <stream>:signals}), made on
     * the first call, which opens no connection yet; closed with the transport.
     *
     * @throws IllegalStateException before {@link #start} or after {@link #close}
     */
    @Override
    public Optional<SignalLog> signalLog() {
        RedisSignalLog current = signalLog.get();
        if (current != null) {
            return Optional.of(current);
        }
        if (!started.get() || closed) {
            throw new IllegalStateException("the signal log of " + this + " is there between start and close only");
        }
        RedisSignalLog made = new RedisSignalLog(client, uri, displayUri, state, settings.stream(),
                uri.getTimeout());
        if (!signalLog.compareAndSet(null, made)) {
            made.close(); // another caller made it first: it opened nothing yet
        }
        RedisSignalLog kept = Objects.requireNonNull(signalLog.get());
        if (closed) {
            kept.close(); // closed meanwhile, perhaps before close() could see it; closing twice is harmless
        }
        return Optional.of(kept);
    }

    @Override
    public TransportHealth health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", "redis");
        details.put("uri", displayUri);
        details.put("stream", settings.stream());
        details.put("reader", state.reader().name());
        details.put("writer", state.writer().name());
        RedisWriter current = writer;
        details.put("buffered", current == null ? 0 : current.buffered());
        details.put("bufferedBytes", current == null ? 0L : current.bufferedBytes());
        details.put("droppedWhileDown", current == null ? 0L : current.dropped());
        String lastError = state.lastError();
        if (lastError != null) {
            details.put("lastError", lastError);
        }
        boolean up = started.get() && !closed && state.isUp();
        return up ? TransportHealth.up(details) : TransportHealth.down(details);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        RedisWriter startedWriter = writer;
        RedisReader startedReader = reader;
        Thread writing = writerThread;
        Thread reading = readerThread;
        RedisHistory startedHistory = history;
        if (startedWriter != null && startedReader != null && writing != null && reading != null
                && startedHistory != null) {
            startedWriter.close();
            EngineThreads.join(writing, EngineThreads.CLOSE_WAIT); // lets the writer flush what it can for a moment
            startedReader.close();
            reading.interrupt();
            EngineThreads.join(reading, EngineThreads.CLOSE_WAIT);
            startedHistory.close();
        }
        RedisSignalLog startedLog = signalLog.get();
        if (startedLog != null) {
            startedLog.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        if (ownsResources) {
            resources.shutdown(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(3, TimeUnit.SECONDS);
        }
    }

    @Override
    public String toString() {
        return "RedisTransport[" + displayUri + ", stream '" + settings.stream() + "']";
    }

    /** Settings of a {@link RedisTransport}; each has a default fit for most applications. */
    public static final class Builder {

        /** Default stream (key) that carries the messages. */
        public static final String DEFAULT_STREAM = "flow-pubsub:messages";
        /** Default time entries stay in the stream for nodes that reconnect. */
        public static final Duration DEFAULT_RETENTION = EngineSettings.DEFAULT_RETENTION;
        /** Default number of entries the stream keeps at most (about). */
        public static final long DEFAULT_MAX_LENGTH = EngineSettings.DEFAULT_MAX_LENGTH;
        /** Default number of messages a node keeps for the others while Redis is unreachable. */
        public static final int DEFAULT_OUTBOX_CAPACITY = EngineSettings.DEFAULT_OUTBOX_CAPACITY;
        /** Default payload bytes a node keeps for the others while Redis is unreachable (64 MiB). */
        public static final long DEFAULT_OUTBOX_MAX_BYTES = EngineSettings.DEFAULT_OUTBOX_MAX_BYTES;
        /** Default time one Redis command may take. */
        public static final Duration DEFAULT_COMMAND_TIMEOUT = EngineSettings.DEFAULT_COMMAND_TIMEOUT;
        /** Default time a topic's history stays in Redis after its last message. */
        public static final Duration DEFAULT_HISTORY_RETENTION = EngineSettings.DEFAULT_HISTORY_RETENTION;

        private final RedisURI uri;
        private String stream = DEFAULT_STREAM;
        private EngineSettings engine = EngineSettings.DEFAULTS;
        private @Nullable Path trustedCertificate;
        private @Nullable ClientResources resources;
        private int formatVersion = RedisEntries.FORMAT_VERSION;

        private Builder(String uri) {
            Objects.requireNonNull(uri, "uri must not be null: pass redis://host:6379 or rediss://host:6380 for TLS");
            String text = uri.strip();
            if (!text.startsWith("redis://") && !text.startsWith("rediss://")) {
                throw new IllegalArgumentException("Redis URI must start with redis:// or rediss:// (the URI is not "
                        + "shown, as it may hold a password)");
            }
            try {
                this.uri = RedisURI.create(text);
            } catch (RuntimeException malformed) {
                // neither the URI nor the parser's message is shown: both may quote the password
                throw new IllegalArgumentException("malformed Redis URI: expected "
                        + "redis://[[user:]password@]host[:port][/database], with characters such as / in the password "
                        + "percent-encoded (%2F); the URI is not shown, as it may hold a password");
            }
        }

        /** The Redis stream (key) that carries the messages; nodes of one application share it. Default {@value #DEFAULT_STREAM}. */
        public Builder stream(String stream) {
            this.stream = Arguments.nonBlank(stream, "stream");
            return this;
        }

        /** How long entries stay in the stream for nodes that reconnect; at least 1 second. Default 5 minutes. */
        public Builder retention(Duration retention) {
            this.engine = engine.withRetention(retention);
            return this;
        }

        /**
         * About how many entries the stream keeps at most (trimmed approximately, as Redis does). Default 100,000.
         * With the largest message size this bounds the stream's memory in Redis (see the class javadoc).
         */
        public Builder maxLength(long maxLength) {
            this.engine = engine.withMaxLength(maxLength);
            return this;
        }

        /** How many messages a node keeps for the other nodes while Redis is unreachable. Default 50,000. */
        public Builder outboxCapacity(int outboxCapacity) {
            this.engine = engine.withOutboxCapacity(outboxCapacity);
            return this;
        }

        /**
         * How many bytes of messages a node keeps for the other nodes while Redis is unreachable, whatever their
         * number: the outbox's bound in the JVM's memory. Default 64 MiB.
         */
        public Builder outboxMaxBytes(long outboxMaxBytes) {
            this.engine = engine.withOutboxMaxBytes(outboxMaxBytes);
            return this;
        }

        /** How long one Redis command may take before the connection is taken as lost. Default 5 seconds. */
        public Builder commandTimeout(Duration commandTimeout) {
            this.engine = engine.withCommandTimeout(commandTimeout, Duration.ofMillis(1));
            return this;
        }

        /**
         * How long a topic's history stays in Redis after its last message (topics with history only; see
         * {@code HistoryPolicy}). Default 1 day.
         */
        public Builder historyRetention(Duration historyRetention) {
            this.engine = engine.withHistoryRetention(historyRetention);
            return this;
        }

        /**
         * For {@code rediss://} with a certificate the JVM does not trust (a private CA, a self-signed one): trust
         * the certificates in this PEM file. The server's name is still verified.
         */
        public Builder trustedCertificate(Path pemFile) {
            Arguments.notNull(pemFile, "pemFile");
            if (!Files.isReadable(pemFile)) {
                throw new IllegalArgumentException("cannot read the certificate file " + pemFile);
            }
            this.trustedCertificate = pemFile;
            return this;
        }

        /**
         * Lettuce's client resources (event loops, timers) to share with the application's other Redis clients.
         * Default: the transport's own, two threads each, shut down when it closes; resources given here are not.
         */
        public Builder clientResources(ClientResources resources) {
            this.resources = Arguments.notNull(resources, "resources");
            return this;
        }

        /** The format version this node writes; only a test of a rolling upgrade writes another than its own. */
        Builder formatVersion(int formatVersion) {
            this.formatVersion = Arguments.positive(formatVersion, "formatVersion");
            return this;
        }

        /** A transport with these settings; it connects when the hub starts it. */
        public RedisTransport build() {
            return new RedisTransport(this);
        }
    }
}
