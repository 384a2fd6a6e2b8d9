package dev.flowpubsub.redis;

import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.TransportHealth;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.SslOptions;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

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
 * Every node appends what it sends to one stream ({@code XADD}, field {@code o} origin node, {@code s} sequence,
 * {@code t} topic, {@code p} payload) and reads the stream from the last entry it has seen ({@code XREAD BLOCK}):
 * one reading connection and one writing connection per node, however many pages it has. A node's own entries
 * are skipped when read back; it delivered them locally when they were sent.
 *
 * <h2>Guarantees and their limits</h2>
 * <ul>
 * <li><b>No loss across reconnects.</b> A node that loses Redis keeps delivering locally; what it sends meanwhile
 * waits in a bounded outbox (default 50,000 messages) and is appended, in order, when Redis is back. When its
 * reader reconnects it reads on from the last entry it saw, so it gets everything the other nodes appended
 * meanwhile, in stream order. Retries can append an entry twice; the hub skips repeated sequence numbers, so
 * each message is delivered once.</li>
 * <li><b>Retention.</b> The stream keeps about {@link Builder#maxLength(long) maxLength} entries (default 100,000)
 * and trims entries older than {@link Builder#retention(Duration) retention} (default 5 minutes). A node away
 * for longer misses what was trimmed: the hub counts it ({@code PubSubStats.remoteMissed()}) and logs it.</li>
 * <li><b>Node restarts.</b> A node starts reading at the stream's end when it first reaches Redis: a restarted
 * node (new pages anyway) does not replay old messages.</li>
 * <li><b>Redis restarts.</b> Entries acknowledged by Redis survive a Redis restart only if Redis persists them
 * (AOF with {@code appendfsync always} for none lost; {@code everysec} can lose the last second). Outboxes are
 * flushed to the restarted server either way.</li>
 * <li><b>Order.</b> Each node's messages reach every other node in the order sent. Nodes see other nodes'
 * messages in stream order; a node sees its own at the moment they were sent.</li>
 * </ul>
 *
 * <p>The password in the URI is never logged nor shown in {@link #health()}. {@code rediss://} connects with TLS.
 *
 * <p>Threading: {@link #publish} only appends to the outbox. Two threads per node, a reader and a writer, talk
 * to Redis; both retry with backoff (100 ms doubling to 2 s) while Redis is unreachable.
 */
public final class RedisTransport implements Transport {

    private static final Logger LOG = LoggerFactory.getLogger(RedisTransport.class);
    private static final Pattern PASSWORD_IN_URI = Pattern.compile("(://[^:@/]*:)[^@/]*@");

    private static final byte[] ORIGIN = bytes("o");
    private static final byte[] SEQUENCE = bytes("s");
    private static final byte[] TOPIC = bytes("t");
    private static final byte[] PAYLOAD = bytes("p");

    /** XADD, then the topic's history list: append, trim to its size, expire if the topic goes quiet. */
    private static final String APPEND_WITH_HISTORY = """
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'o', ARGV[2], 's', ARGV[3], 't', ARGV[4], 'p', ARGV[5])
            redis.call('RPUSH', KEYS[2], id .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[3] .. '\\n' .. ARGV[5])
            redis.call('LTRIM', KEYS[2], -tonumber(ARGV[6]), -1)
            redis.call('PEXPIRE', KEYS[2], ARGV[7])
            return id
            """;

    private static final long BLOCK_MILLIS = 1_000;
    private static final int READ_BATCH = 500;
    private static final int WRITE_BATCH = 500;
    private static final long MIN_BACKOFF_MILLIS = 100;
    private static final long MAX_BACKOFF_MILLIS = 2_000;
    private static final long TRIM_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final RedisURI uri;
    private final String displayUri;
    private final String stream;
    private final byte[] streamKey;
    private final Duration retention;
    private final long maxLength;
    private final ArrayBlockingQueue<TransportEnvelope> outbox;

    private final ClientResources resources;
    private final RedisClient client;

    private final AtomicBoolean started = new AtomicBoolean();
    private volatile boolean closed;
    private volatile boolean readerUp;
    private volatile boolean writerUp;
    private volatile String lastError = "not connected yet";
    private final AtomicLong droppedFromOutbox = new AtomicLong();
    private final AtomicBoolean outboxFullWarned = new AtomicBoolean();
    private volatile String newestWrittenId;
    /** The stream id this node started reading after; history older than that comes from the history lists. */
    private volatile String startPosition;
    private final Duration historyRetention;
    private StatefulRedisConnection<byte[], byte[]> queryConnection;
    private long lastTrimNanos = System.nanoTime();

    private TransportContext context;
    private Thread reader;
    private Thread writer;

    private RedisTransport(Builder builder) {
        this.uri = builder.uri;
        this.displayUri = builder.displayUri;
        this.stream = builder.stream;
        this.streamKey = bytes(builder.stream);
        this.retention = builder.retention;
        this.maxLength = builder.maxLength;
        this.outbox = new ArrayBlockingQueue<>(builder.outboxCapacity);
        this.historyRetention = builder.historyRetention;
        this.uri.setTimeout(Duration.ofMillis(BLOCK_MILLIS).plus(builder.commandTimeout));
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(2).computationThreadPoolSize(2).build();
        this.client = RedisClient.create(resources, uri);
        ClientOptions.Builder options = ClientOptions.builder()
                .autoReconnect(false) // the reader and writer reconnect themselves, with their own backoff
                .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(BLOCK_MILLIS).plus(builder.commandTimeout)));
        if (builder.trustedCertificate != null) {
            options.sslOptions(SslOptions.builder().trustManager(builder.trustedCertificate.toFile()).build());
        }
        client.setOptions(options.build());
    }

    /** A transport on the Redis at {@code uri} ({@code redis://[:password@]host[:port][/database]}, or {@code rediss://} for TLS), with the default settings. */
    public static RedisTransport create(String uri) {
        return builder(uri).build();
    }

    /** Settings for a transport on the Redis at {@code uri}. */
    public static Builder builder(String uri) {
        return new Builder(uri);
    }

    /** The URI with any password replaced by {@code ***}, for logs. */
    public static String mask(String uri) {
        return uri == null ? null : PASSWORD_IN_URI.matcher(uri).replaceAll("$1***@");
    }

    @Override
    public void start(TransportContext context) {
        if (!started.compareAndSet(false, true)) {
            throw new IllegalStateException("this RedisTransport was started already: give each hub its own");
        }
        this.context = Objects.requireNonNull(context, "context must not be null");
        // Find the read position now, so that everything published after the hub is built reaches this node;
        // if Redis is unreachable, the reader finds it when Redis is back.
        StatefulRedisConnection<byte[], byte[]> connection = null;
        String position = null;
        try {
            connection = client.connect(ByteArrayCodec.INSTANCE);
            position = newestId(connection);
        } catch (RuntimeException unreachable) {
            down(true, unreachable);
            closeQuietly(connection);
            connection = null;
        }
        StatefulRedisConnection<byte[], byte[]> firstConnection = connection;
        String firstPosition = position;
        startPosition = position;
        reader = Thread.ofPlatform().daemon().name("flow-pubsub-redis-reader-" + context.nodeId())
                .start(() -> readLoop(firstConnection, firstPosition));
        writer = Thread.ofPlatform().daemon().name("flow-pubsub-redis-writer-" + context.nodeId()).start(this::writeLoop);
        LOG.info("flow-pubsub: node {} on Redis {} (stream '{}')", context.nodeId(), displayUri, stream);
    }

    @Override
    public void publish(TransportEnvelope envelope) {
        if (closed) {
            return;
        }
        if (!outbox.offer(envelope)) {
            droppedFromOutbox.incrementAndGet();
            if (outboxFullWarned.compareAndSet(false, true)) {
                LOG.warn("flow-pubsub: Redis {} has been unreachable for long: the outbox of {} messages is full, so new "
                        + "messages reach this node's pages only, not the other nodes (counted in health: droppedWhileDown)",
                        displayUri, outbox.remainingCapacity() + outbox.size());
            }
        }
    }

    // ---- reading --------------------------------------------------------------------------------

    /** The id of the stream's newest entry, or {@code 0-0} for an empty stream: where a new node starts reading. */
    private String newestId(StatefulRedisConnection<byte[], byte[]> connection) {
        List<StreamMessage<byte[], byte[]>> newest =
                connection.sync().xrevrange(streamKey, Range.create("-", "+"), Limit.from(1));
        return newest.isEmpty() ? "0-0" : newest.getFirst().getId();
    }

    private void readLoop(StatefulRedisConnection<byte[], byte[]> firstConnection, String firstPosition) {
        StatefulRedisConnection<byte[], byte[]> connection = firstConnection;
        String lastId = firstPosition;
        long backoff = MIN_BACKOFF_MILLIS;
        while (!closed) {
            try {
                if (connection == null || !connection.isOpen()) {
                    connection = connect(connection);
                }
                if (lastId == null) {
                    lastId = newestId(connection);
                    startPosition = lastId;
                }
                List<StreamMessage<byte[], byte[]>> entries = connection.sync().xread(
                        XReadArgs.Builder.block(BLOCK_MILLIS).count(READ_BATCH),
                        XReadArgs.StreamOffset.from(streamKey, lastId));
                up(true);
                backoff = MIN_BACKOFF_MILLIS;
                for (StreamMessage<byte[], byte[]> entry : entries) {
                    lastId = entry.getId();
                    receive(entry);
                }
            } catch (RuntimeException failure) {
                if (closed) {
                    break;
                }
                down(true, failure);
                closeQuietly(connection);
                connection = null;
                backoff = pause(backoff);
            }
        }
        closeQuietly(connection);
    }

    private void receive(StreamMessage<byte[], byte[]> entry) {
        byte[] origin = null;
        byte[] sequence = null;
        byte[] topic = null;
        byte[] payload = null;
        for (Map.Entry<byte[], byte[]> field : entry.getBody().entrySet()) {
            byte[] name = field.getKey();
            if (Arrays.equals(name, ORIGIN)) {
                origin = field.getValue();
            } else if (Arrays.equals(name, SEQUENCE)) {
                sequence = field.getValue();
            } else if (Arrays.equals(name, TOPIC)) {
                topic = field.getValue();
            } else if (Arrays.equals(name, PAYLOAD)) {
                payload = field.getValue();
            }
        }
        if (origin == null || sequence == null || payload == null) {
            context.rejected(entry.getId(), "not a flow-pubsub entry: fields o, s and p are required");
            return;
        }
        if (payload.length > context.maxPayloadBytes()) {
            context.rejected(entry.getId(), "payload of " + payload.length + " bytes is over the limit of "
                    + context.maxPayloadBytes());
            return;
        }
        long number;
        try {
            number = Long.parseLong(new String(sequence, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            context.rejected(entry.getId(), "sequence is not a number");
            return;
        }
        TransportEnvelope envelope;
        try {
            envelope = new TransportEnvelope(new String(origin, StandardCharsets.UTF_8), number,
                    topic == null ? null : new String(topic, StandardCharsets.UTF_8), payload);
        } catch (IllegalArgumentException e) {
            context.rejected(entry.getId(), e.getMessage());
            return;
        }
        context.receive(envelope);
    }

    // ---- writing --------------------------------------------------------------------------------

    private void writeLoop() {
        StatefulRedisConnection<byte[], byte[]> connection = null;
        List<TransportEnvelope> batch = new ArrayList<>(WRITE_BATCH);
        long backoff = MIN_BACKOFF_MILLIS;
        long lastCheckNanos = 0;
        while (!closed || (!batch.isEmpty() || !outbox.isEmpty()) && writerUp) {
            try {
                if (connection == null || !connection.isOpen()) {
                    connection = connect(connection);
                    up(false);
                }
                if (batch.isEmpty()) {
                    TransportEnvelope first = outbox.poll(200, TimeUnit.MILLISECONDS);
                    if (first == null) {
                        if (System.nanoTime() - lastCheckNanos > IDLE_CHECK_NANOS) {
                            lastCheckNanos = System.nanoTime();
                            connection.sync().ping(); // keeps health true to the facts while nothing is sent
                            up(false);
                            trimOldEntries(connection);
                        }
                        continue;
                    }
                    batch.add(first);
                    outbox.drainTo(batch, WRITE_BATCH - 1);
                }
                int written = append(connection, batch);
                batch.subList(0, written).clear();
                up(false);
                backoff = MIN_BACKOFF_MILLIS;
                outboxFullWarned.set(false);
                trimOldEntries(connection);
            } catch (InterruptedException interrupted) {
                break;
            } catch (RuntimeException failure) {
                if (closed) {
                    break;
                }
                down(false, failure);
                closeQuietly(connection);
                connection = null;
                backoff = pause(backoff);
            }
        }
        if (!batch.isEmpty() || !outbox.isEmpty()) {
            LOG.warn("flow-pubsub: closing with {} message(s) not yet written to Redis {}", batch.size() + outbox.size(),
                    displayUri);
        }
        closeQuietly(connection);
    }

    /**
     * Appends the batch, pipelined, and returns how many were acknowledged in order. Entries after the first
     * failure may or may not have been appended; they are sent again and skipped by the readers if repeated.
     */
    private int append(StatefulRedisConnection<byte[], byte[]> connection, List<TransportEnvelope> batch) {
        XAddArgs args = XAddArgs.Builder.maxlen(maxLength).approximateTrimming();
        List<RedisFuture<?>> replies = new ArrayList<>(batch.size());
        for (TransportEnvelope envelope : batch) {
            int keep = envelope.topic() == null ? 0 : context.historySize(envelope.topic());
            byte[] sequence = Long.toString(envelope.sequence()).getBytes(StandardCharsets.US_ASCII);
            if (keep > 0) {
                // the entry and the topic's history in one step, so history and stream never disagree
                replies.add(connection.async().eval(APPEND_WITH_HISTORY, ScriptOutputType.VALUE,
                        new byte[][] {streamKey, historyKey(envelope.topic())},
                        bytes(Long.toString(maxLength)), bytes(envelope.originNode()), sequence,
                        bytes(envelope.topic()), envelope.payload(), bytes(Integer.toString(keep)),
                        bytes(Long.toString(historyRetention.toMillis()))));
                continue;
            }
            Map<byte[], byte[]> fields = new LinkedHashMap<>(8);
            fields.put(ORIGIN, bytes(envelope.originNode()));
            fields.put(SEQUENCE, sequence);
            if (envelope.topic() != null) {
                fields.put(TOPIC, bytes(envelope.topic()));
            }
            fields.put(PAYLOAD, envelope.payload());
            replies.add(connection.async().xadd(streamKey, args, fields));
        }
        int acknowledged = 0;
        try {
            for (RedisFuture<?> reply : replies) {
                Object id = reply.get(uri.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
                newestWrittenId = id instanceof byte[] raw ? new String(raw, StandardCharsets.US_ASCII) : (String) id;
                acknowledged++;
            }
        } catch (Exception failure) {
            if (acknowledged > 0) {
                batch.subList(0, acknowledged).clear();
            }
            throw failure instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException("XADD failed: " + failure.getMessage(), failure);
        }
        return acknowledged;
    }

    /** Trims entries older than the retention, measured on Redis's own clock (the newest entry's id). */
    private void trimOldEntries(StatefulRedisConnection<byte[], byte[]> connection) {
        String newest = newestWrittenId;
        long now = System.nanoTime();
        if (newest == null || now - lastTrimNanos < TRIM_EVERY_NANOS) {
            return;
        }
        lastTrimNanos = now;
        long newestMillis = Long.parseLong(newest.substring(0, newest.indexOf('-')));
        long oldestKept = newestMillis - retention.toMillis();
        if (oldestKept > 0) {
            connection.sync().xtrim(streamKey, new XTrimArgs().minId(oldestKept + "-0").approximateTrimming());
        }
    }

    // ---- history --------------------------------------------------------------------------------

    private byte[] historyKey(String topic) {
        return bytes(stream + ":history:" + topic);
    }

    /**
     * The topic's last entries from its history list that are older than where this node started reading, so
     * that none of them also arrives through the stream.
     */
    @Override
    public synchronized List<TransportEnvelope> history(String topic, int limit) {
        String start = startPosition;
        if (start == null) {
            throw new IllegalStateException("Redis " + displayUri + " has not been reached yet");
        }
        if (queryConnection == null || !queryConnection.isOpen()) {
            closeQuietly(queryConnection);
            queryConnection = client.connect(ByteArrayCodec.INSTANCE);
        }
        List<byte[]> entries = queryConnection.sync().lrange(historyKey(topic), -limit, -1);
        List<TransportEnvelope> older = new ArrayList<>(entries.size());
        for (byte[] entry : entries) {
            HistoryEntry parsed = HistoryEntry.parse(entry);
            if (parsed == null) {
                context.rejected(stream + ":history:" + topic, "malformed history entry");
            } else if (compareIds(parsed.id(), start) <= 0) {
                try {
                    older.add(new TransportEnvelope(parsed.origin(), parsed.sequence(), topic, parsed.payload()));
                } catch (IllegalArgumentException e) {
                    context.rejected(parsed.id(), e.getMessage());
                }
            }
        }
        return older;
    }

    /** One element of a history list: {@code id \n origin \n sequence \n payload}, as the script writes it. */
    record HistoryEntry(String id, String origin, long sequence, byte[] payload) {

        static HistoryEntry parse(byte[] raw) {
            int first = indexOf(raw, 0);
            int second = first < 0 ? -1 : indexOf(raw, first + 1);
            int third = second < 0 ? -1 : indexOf(raw, second + 1);
            if (third < 0) {
                return null;
            }
            try {
                return new HistoryEntry(new String(raw, 0, first, StandardCharsets.US_ASCII),
                        new String(raw, first + 1, second - first - 1, StandardCharsets.UTF_8),
                        Long.parseLong(new String(raw, second + 1, third - second - 1, StandardCharsets.US_ASCII)),
                        Arrays.copyOfRange(raw, third + 1, raw.length));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static int indexOf(byte[] raw, int from) {
            for (int i = from; i < raw.length; i++) {
                if (raw[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }

    /** Orders stream ids ({@code millis-sequence}) as Redis does. */
    static int compareIds(String a, String b) {
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        int byMillis = Long.compare(Long.parseLong(a.substring(0, dashA)), Long.parseLong(b.substring(0, dashB)));
        return byMillis != 0 ? byMillis
                : Long.compare(Long.parseLong(a.substring(dashA + 1)), Long.parseLong(b.substring(dashB + 1)));
    }

    // ---- connections and state ------------------------------------------------------------------

    private StatefulRedisConnection<byte[], byte[]> connect(StatefulRedisConnection<byte[], byte[]> previous) {
        closeQuietly(previous);
        return client.connect(ByteArrayCodec.INSTANCE);
    }

    private void up(boolean isReader) {
        boolean wasDown = !(readerUp && writerUp);
        if (isReader) {
            readerUp = true;
        } else {
            writerUp = true;
        }
        if (wasDown && readerUp && writerUp && !"not connected yet".equals(lastError)) {
            LOG.info("flow-pubsub: Redis {} reachable again", displayUri);
        }
        if (readerUp && writerUp) {
            lastError = null;
        }
    }

    private void down(boolean isReader, RuntimeException failure) {
        boolean wasUp = isReader ? readerUp : writerUp;
        if (isReader) {
            readerUp = false;
        } else {
            writerUp = false;
        }
        lastError = failure.getClass().getSimpleName() + ": " + mask(String.valueOf(failure.getMessage()));
        if (wasUp) {
            LOG.warn("flow-pubsub: lost Redis {} ({}); delivering locally and retrying", displayUri, lastError);
        } else {
            LOG.debug("flow-pubsub: Redis {} still unreachable: {}", displayUri, lastError);
        }
    }

    private long pause(long backoffMillis) {
        try {
            Thread.sleep(backoffMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
    }

    private static void closeQuietly(StatefulRedisConnection<byte[], byte[]> connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // closing a broken connection
            }
        }
    }

    @Override
    public TransportHealth health() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", "redis");
        details.put("uri", displayUri);
        details.put("stream", stream);
        details.put("buffered", outbox.size());
        details.put("droppedWhileDown", droppedFromOutbox.get());
        if (lastError != null) {
            details.put("lastError", lastError);
        }
        boolean up = started.get() && !closed && readerUp && writerUp;
        return up ? TransportHealth.up(details) : TransportHealth.down(details);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        join(writer, 3_000); // lets the writer flush what it can for a moment
        if (reader != null) {
            reader.interrupt();
        }
        join(reader, 3_000);
        synchronized (this) {
            closeQuietly(queryConnection);
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }

    private static void join(Thread thread, long millis) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "RedisTransport[" + displayUri + ", stream '" + stream + "']";
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Settings of a {@link RedisTransport}; each has a default fit for most applications. */
    public static final class Builder {

        private final RedisURI uri;
        private final String displayUri;
        private String stream = "flow-pubsub:messages";
        private Duration retention = Duration.ofMinutes(5);
        private long maxLength = 100_000;
        private int outboxCapacity = 50_000;
        private Duration commandTimeout = Duration.ofSeconds(5);
        private Path trustedCertificate;
        private Duration historyRetention = Duration.ofDays(1);

        private Builder(String uri) {
            Objects.requireNonNull(uri, "uri must not be null: pass redis://host:6379 or rediss://host:6380 for TLS");
            this.displayUri = mask(uri.strip());
            if (!displayUri.startsWith("redis://") && !displayUri.startsWith("rediss://")) {
                throw new IllegalArgumentException("Redis URI must start with redis:// or rediss:// (got " + displayUri + ")");
            }
            try {
                this.uri = RedisURI.create(uri.strip());
            } catch (RuntimeException malformed) {
                // not chained: the parser's message may quote the password
                throw new IllegalArgumentException("malformed Redis URI " + displayUri
                        + ": expected redis://[:password@]host[:port][/database]");
            }
        }

        /** The Redis stream (key) that carries the messages; nodes of one application share it. Default {@code flow-pubsub:messages}. */
        public Builder stream(String stream) {
            Objects.requireNonNull(stream, "stream must not be null");
            if (stream.isBlank()) {
                throw new IllegalArgumentException("stream must not be blank");
            }
            this.stream = stream;
            return this;
        }

        /** How long entries stay in the stream for nodes that reconnect; at least 1 second. Default 5 minutes. */
        public Builder retention(Duration retention) {
            Objects.requireNonNull(retention, "retention must not be null");
            if (retention.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("retention must be at least 1 second (got " + retention + ")");
            }
            this.retention = retention;
            return this;
        }

        /** About how many entries the stream keeps at most (trimmed approximately, as Redis does). Default 100,000. */
        public Builder maxLength(long maxLength) {
            if (maxLength < 1) {
                throw new IllegalArgumentException("maxLength must be at least 1 (got " + maxLength + ")");
            }
            this.maxLength = maxLength;
            return this;
        }

        /** How many messages a node keeps for the other nodes while Redis is unreachable. Default 50,000. */
        public Builder outboxCapacity(int outboxCapacity) {
            if (outboxCapacity < 1) {
                throw new IllegalArgumentException("outboxCapacity must be at least 1 (got " + outboxCapacity + ")");
            }
            this.outboxCapacity = outboxCapacity;
            return this;
        }

        /** How long one Redis command may take before the connection is taken as lost. Default 5 seconds. */
        public Builder commandTimeout(Duration commandTimeout) {
            Objects.requireNonNull(commandTimeout, "commandTimeout must not be null");
            if (commandTimeout.isNegative() || commandTimeout.isZero()) {
                throw new IllegalArgumentException("commandTimeout must be positive (got " + commandTimeout + ")");
            }
            this.commandTimeout = commandTimeout;
            return this;
        }

        /**
         * How long a topic's history stays in Redis after its last message (topics with history only; see
         * {@code HistoryPolicy}). Default 1 day.
         */
        public Builder historyRetention(Duration historyRetention) {
            Objects.requireNonNull(historyRetention, "historyRetention must not be null");
            if (historyRetention.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("historyRetention must be at least 1 second (got " + historyRetention + ")");
            }
            this.historyRetention = historyRetention;
            return this;
        }

        /**
         * For {@code rediss://} with a certificate the JVM does not trust (a private CA, a self-signed one): trust
         * the certificates in this PEM file. The server's name is still verified.
         */
        public Builder trustedCertificate(Path pemFile) {
            Objects.requireNonNull(pemFile, "pemFile must not be null");
            if (!Files.isReadable(pemFile)) {
                throw new IllegalArgumentException("cannot read the certificate file " + pemFile);
            }
            this.trustedCertificate = pemFile;
            return this;
        }

        public RedisTransport build() {
            return new RedisTransport(this);
        }
    }
}
