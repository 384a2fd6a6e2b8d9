package dev.flowpubsub.redis;

import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.support.Backoff;
import dev.flowpubsub.spi.support.EngineConnection;
import dev.flowpubsub.spi.support.EngineLoop;
import dev.flowpubsub.spi.support.Outbox;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.XTrimArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.flowpubsub.redis.RedisEntries.bytes;

/**
 * Appends this node's envelopes to the stream, in order, from a bounded outbox, on one connection of its own.
 *
 * <h2>Order under partial failure</h2>
 * A batch is pipelined: one script call per envelope, without waiting for each reply. Redis can refuse one of them
 * (out of memory) and take the next, which would put them in the stream out of order, and readers would take the
 * late one for a repeat. So each call appends only if the envelope before it in this node's order was appended:
 * the script keeps this node's last appended sequence number in a key of its own ({@code <stream>:writer:<node>})
 * and answers {@code gap} instead of appending when the previous one is missing, and {@code dup} for one already
 * appended (a retry after a lost reply). The writer then retries from the first envelope not appended. The first
 * envelope of a batch is taken whatever the key says, which also covers a Redis that lost the key (restarted
 * without persistence, key expired).
 *
 * <h2>Bounds</h2>
 * The outbox holds at most {@code capacity} envelopes and {@code maxBytes} bytes of payload; what does not fit while
 * Redis is away reaches this node's pages only, and is counted ({@code droppedWhileDown}) and logged once per outage.
 *
 * <p>Threading: {@link #offer} from the hub's send path (never blocks); {@link #run} on the writer thread.
 */
final class RedisWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(RedisWriter.class);

    /** Appends one envelope if the previous one of this node was appended; see the class comment. */
    static final String APPEND = """
            local last = tonumber(redis.call('GET', KEYS[2]) or '0')
            local seq = tonumber(ARGV[3])
            if seq <= last then return 'dup' end
            if ARGV[4] ~= '' and tonumber(ARGV[4]) ~= last then return 'gap' end
            local id
            if ARGV[5] == '' then
              id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'v', ARGV[7], 'o', ARGV[2], 's', ARGV[3], 'm', ARGV[11], 'p', ARGV[6])
            else
              id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'v', ARGV[7], 'o', ARGV[2], 's', ARGV[3], 'm', ARGV[11], 't', ARGV[5], 'p', ARGV[6])
            end
            redis.call('SET', KEYS[2], ARGV[3], 'PX', ARGV[8])
            if KEYS[3] then
              redis.call('RPUSH', KEYS[3], id .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[3] .. '\\n' .. ARGV[6])
              redis.call('LTRIM', KEYS[3], -tonumber(ARGV[9]), -1)
              redis.call('PEXPIRE', KEYS[3], ARGV[10])
            end
            return id
            """;

    private static final int WRITE_BATCH = 500;
    private static final long TRIM_EVERY_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long WRITER_KEY_MIN_TTL_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private final RedisClient client;
    private final RedisSettings settings;
    private final EngineConnection state;
    private final TransportContext context;
    private final String displayUri;
    private final byte[] streamKey;
    private final byte[] writerKey;
    private final byte[] maxLength;
    private final byte[] version;
    private final byte[] writerKeyTtl;
    private final byte[] historyTtl;
    private final long replyTimeoutMillis;
    private final Outbox outbox;
    private final EngineLoop loop;
    /** Writer thread: the envelopes taken from the outbox and not appended yet, in order. */
    private final List<TransportEnvelope> batch = new ArrayList<>(WRITE_BATCH);
    private volatile boolean closed;
    /** Writer thread: the connection it appends on, {@code null} after a failure. */
    private @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    /** Writer thread: the SHA of {@link #APPEND} on that connection's server. */
    private @Nullable String script;
    private long lastCheckNanos;
    private @Nullable String newestWrittenId;
    private long lastTrimNanos = System.nanoTime();

    RedisWriter(RedisClient client, RedisSettings settings, EngineConnection state, TransportContext context,
                String displayUri, long replyTimeoutMillis) {
        this.client = client;
        this.settings = settings;
        this.state = state;
        this.context = context;
        this.displayUri = displayUri;
        this.replyTimeoutMillis = replyTimeoutMillis;
        this.streamKey = bytes(settings.stream());
        this.writerKey = bytes(settings.stream() + ":writer:" + context.nodeId());
        this.maxLength = bytes(Long.toString(settings.engine().maxLength()));
        this.version = bytes(Integer.toString(settings.formatVersion()));
        this.writerKeyTtl = bytes(Long.toString(
                Math.max(WRITER_KEY_MIN_TTL_MILLIS, 2 * settings.engine().retention().toMillis())));
        this.historyTtl = bytes(Long.toString(settings.engine().historyRetention().toMillis()));
        this.outbox = new Outbox("Redis", displayUri, settings.engine().outboxCapacity(),
                settings.engine().outboxMaxBytes(), LOG);
        this.loop = new EngineLoop(state, EngineConnection.Side.WRITER, Backoff.RECONNECT, () -> closed,
                this::dropConnection);
    }

    /** Queues an envelope for Redis; drops and counts it if the outbox is full (in number or in bytes). */
    void offer(TransportEnvelope envelope) {
        if (!closed) {
            outbox.offer(envelope);
        }
    }

    int buffered() {
        return outbox.buffered();
    }

    long bufferedBytes() {
        return outbox.bufferedBytes();
    }

    long dropped() {
        return outbox.dropped();
    }

    @Override
    public void run() {
        loop.run(() -> !closed || ((!batch.isEmpty() || !outbox.isEmpty())
                && state.writer() == EngineConnection.State.UP), this::writeOnce);
        if (!batch.isEmpty() || !outbox.isEmpty()) {
            LOG.warn("flow-pubsub: closing with {} message(s) not yet written to Redis {}", batch.size() + outbox.size(),
                    displayUri);
        }
        closeQuietly(connection);
    }

    /** Writes the next batch, or checks Redis while there is none; see the class comment. */
    private void writeOnce() throws InterruptedException {
        outbox.reportOverflow(); // here, not on the sender's thread: once per outage or overload
        StatefulRedisConnection<byte[], byte[]> open = connection;
        String loaded = script;
        if (open == null || !open.isOpen() || loaded == null) {
            open = client.connect(ByteArrayCodec.INSTANCE);
            connection = open;
            loaded = open.sync().scriptLoad(APPEND);
            script = loaded;
            loop.up();
        }
        if (batch.isEmpty()) {
            TransportEnvelope first = outbox.poll(200, TimeUnit.MILLISECONDS);
            if (first == null) {
                if (System.nanoTime() - lastCheckNanos > IDLE_CHECK_NANOS) {
                    lastCheckNanos = System.nanoTime();
                    open.sync().ping(); // keeps health true to the facts while nothing is sent
                    loop.up();
                    trimOldEntries(open);
                }
                return;
            }
            batch.add(first);
            outbox.drainTo(batch, WRITE_BATCH - 1);
        }
        int written;
        try {
            written = append(open, loaded, batch);
        } catch (AppendRefused refused) {
            outbox.written(batch, refused.written);
            throw refused.cause;
        }
        outbox.written(batch, written);
        if (!batch.isEmpty()) {
            return; // a gap: Redis refused an earlier one; the rest goes again, from the first not appended
        }
        loop.succeeded();
        trimOldEntries(open);
    }

    /** After a failure: the next turn connects again. */
    private void dropConnection() {
        closeQuietly(connection);
        connection = null;
    }

    /**
     * Appends the batch, pipelined, and returns how many envelopes from its start are in the stream now (appended,
     * or found appended before). Those after a refused one are not appended, whatever Redis answered for them.
     *
     * @throws AppendRefused when Redis refused one (an error reply or no reply), with how many came before it
     */
    private int append(StatefulRedisConnection<byte[], byte[]> connection, String script, List<TransportEnvelope> batch) {
        List<RedisFuture<byte[]>> replies = new ArrayList<>(batch.size());
        byte[] previous = new byte[0]; // the first of a batch is taken whatever the writer key says
        for (TransportEnvelope envelope : batch) {
            byte[] sequence = Long.toString(envelope.sequence()).getBytes(StandardCharsets.US_ASCII);
            String topicName = envelope.topic();
            byte[] topic = topicName == null ? new byte[0] : bytes(topicName);
            int keep = topicName == null ? 0 : context.historySize(topicName);
            byte[][] keys = topicName != null && keep > 0 ? new byte[][] {streamKey, writerKey, historyKey(topicName)}
                    : new byte[][] {streamKey, writerKey};
            replies.add(connection.async().evalsha(script, ScriptOutputType.VALUE, keys, maxLength,
                    bytes(envelope.originNode()), sequence, previous, topic, envelope.payload(), version, writerKeyTtl,
                    bytes(Integer.toString(keep)), historyTtl,
                    Long.toString(envelope.sentAtMillis()).getBytes(StandardCharsets.US_ASCII)));
            previous = sequence;
        }
        int written = 0;
        for (RedisFuture<byte[]> reply : replies) {
            String answer;
            try {
                byte[] raw = reply.get(replyTimeoutMillis, TimeUnit.MILLISECONDS);
                answer = raw == null ? "" : new String(raw, StandardCharsets.US_ASCII);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                throw new AppendRefused(written, new IllegalStateException("interrupted while appending"));
            } catch (Exception failure) {
                Throwable cause = failure.getCause() != null ? failure.getCause() : failure;
                throw new AppendRefused(written, cause instanceof RuntimeException runtime ? runtime
                        : new IllegalStateException(cause.toString(), cause));
            }
            if (answer.equals("gap")) {
                return written;
            }
            if (!answer.equals("dup")) {
                newestWrittenId = answer;
            }
            written++;
        }
        return written;
    }

    /** Redis refused an append; the envelopes before it were appended. */
    private static final class AppendRefused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int written;
        final RuntimeException cause;

        AppendRefused(int written, RuntimeException cause) {
            super(cause.getMessage(), cause, false, false);
            this.written = written;
            this.cause = cause;
        }
    }

    private byte[] historyKey(String topic) {
        return bytes(settings.stream() + ":history:" + topic);
    }

    /** Trims entries older than the retention, measured on Redis's own clock (the newest entry's id). */
    private void trimOldEntries(StatefulRedisConnection<byte[], byte[]> connection) {
        String newest = newestWrittenId;
        long now = System.nanoTime();
        if (newest == null || now - lastTrimNanos < TRIM_EVERY_NANOS || !RedisEntries.isStreamId(newest)) {
            return;
        }
        lastTrimNanos = now;
        long newestMillis = Long.parseLong(newest.substring(0, newest.indexOf('-')));
        long oldestKept = newestMillis - settings.engine().retention().toMillis();
        if (oldestKept > 0) {
            connection.sync().xtrim(streamKey, new XTrimArgs().minId(oldestKept + "-0").approximateTrimming());
        }
    }

    /** Stops taking envelopes; the loop flushes what it can while Redis is up, then ends. */
    void close() {
        closed = true;
    }

    static void closeQuietly(@Nullable StatefulRedisConnection<?, ?> connection) {
        if (connection != null) {
            try {
                connection.close();
            } catch (RuntimeException ignored) {
                // closing a broken connection
            }
        }
    }
}
