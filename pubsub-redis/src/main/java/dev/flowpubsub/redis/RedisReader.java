package dev.flowpubsub.redis;

import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.support.Backoff;
import dev.flowpubsub.spi.support.EngineConnection;
import dev.flowpubsub.spi.support.EngineLoop;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisClient;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.flowpubsub.redis.RedisEntries.ORIGIN;
import static dev.flowpubsub.redis.RedisEntries.PAYLOAD;
import static dev.flowpubsub.redis.RedisEntries.SENT_AT;
import static dev.flowpubsub.redis.RedisEntries.SEQUENCE;
import static dev.flowpubsub.redis.RedisEntries.TOPIC;
import static dev.flowpubsub.redis.RedisEntries.VERSION;

/**
 * Reads the stream from the last entry this node has seen ({@code XREAD BLOCK}), on one connection of its own, and
 * hands each entry to the hub in stream order. After a reconnect it reads on from the same id, so it gets everything
 * appended meanwhile. While the hub's inbox is full, handing an entry over waits, and so does reading.
 *
 * <p>Threading: {@link #run} on the reader thread; {@link #handedOver} from any thread.
 */
final class RedisReader implements Runnable {

    static final long BLOCK_MILLIS = 1_000;
    private static final int READ_BATCH = 500;

    private final RedisClient client;
    private final EngineConnection state;
    private final TransportContext context;
    private final byte[] streamKey;
    private final EngineLoop loop;
    private @Nullable StatefulRedisConnection<byte[], byte[]> firstConnection;
    /** Reader thread: the connection it reads on, {@code null} after a failure. */
    private @Nullable StatefulRedisConnection<byte[], byte[]> connection;
    /** Reader thread: the id of the last entry read. */
    private @Nullable String lastId;
    /**
     * The id of the last entry this node has handed to the hub (or skipped), from the one it started reading after:
     * what a history read reaches up to, so that everything later comes through the stream.
     */
    private volatile @Nullable String handedOver;
    private volatile boolean closed;

    RedisReader(RedisClient client, EngineConnection state, TransportContext context, String stream) {
        this.client = client;
        this.state = state;
        this.context = context;
        this.streamKey = RedisEntries.bytes(stream);
        this.loop = new EngineLoop(state, EngineConnection.Side.READER, Backoff.RECONNECT, () -> closed,
                this::dropConnection);
    }

    /**
     * Finds where to start reading, now, so that everything published after the hub is built reaches this node; if
     * Redis is unreachable, {@link #run} finds it when Redis is back.
     */
    void findStart() {
        try {
            StatefulRedisConnection<byte[], byte[]> first = client.connect(ByteArrayCodec.INSTANCE);
            firstConnection = first;
            handedOver = newestId(first);
        } catch (RuntimeException unreachable) {
            state.down(EngineConnection.Side.READER, unreachable);
            RedisWriter.closeQuietly(firstConnection);
            firstConnection = null;
        }
    }

    /** The id of the last entry handed to the hub, or {@code null} before this node first reached Redis. */
    @Nullable String handedOver() {
        return handedOver;
    }

    /** The id of the stream's newest entry, or {@code 0-0} for an empty stream: where a new node starts reading. */
    private String newestId(StatefulRedisConnection<byte[], byte[]> connection) {
        List<StreamMessage<byte[], byte[]>> newest =
                connection.sync().xrevrange(streamKey, Range.create("-", "+"), Limit.from(1));
        return newest.isEmpty() ? "0-0" : newest.getFirst().getId();
    }

    @Override
    public void run() {
        connection = firstConnection;
        lastId = handedOver;
        loop.run(() -> !closed, this::readOnce);
        RedisWriter.closeQuietly(connection);
    }

    /** Reads the next entries after {@link #lastId}, waiting up to {@link #BLOCK_MILLIS}, and hands them over. */
    @SuppressWarnings("unchecked") // Lettuce's xread takes the stream offsets as generic varargs
    private void readOnce() {
        StatefulRedisConnection<byte[], byte[]> open = connection;
        if (open == null || !open.isOpen()) {
            RedisWriter.closeQuietly(open);
            open = client.connect(ByteArrayCodec.INSTANCE);
            connection = open;
        }
        String after = lastId;
        if (after == null) {
            after = newestId(open);
            lastId = after;
            handedOver = after;
        }
        List<StreamMessage<byte[], byte[]>> entries = open.sync().xread(
                XReadArgs.Builder.block(BLOCK_MILLIS).count(READ_BATCH),
                XReadArgs.StreamOffset.from(streamKey, after));
        loop.succeeded();
        for (StreamMessage<byte[], byte[]> entry : entries) {
            lastId = entry.getId();
            receive(entry);
            handedOver = lastId;
        }
    }

    /** After a failure: the next turn connects again. */
    private void dropConnection() {
        RedisWriter.closeQuietly(connection);
        connection = null;
    }

    private void receive(StreamMessage<byte[], byte[]> entry) {
        byte[] version = null;
        byte[] origin = null;
        byte[] sequence = null;
        byte[] topic = null;
        byte[] sentAt = null;
        byte[] payload = null;
        for (Map.Entry<byte[], byte[]> field : entry.getBody().entrySet()) {
            byte[] name = field.getKey();
            if (Arrays.equals(name, VERSION)) {
                version = field.getValue();
            } else if (Arrays.equals(name, ORIGIN)) {
                origin = field.getValue();
            } else if (Arrays.equals(name, SEQUENCE)) {
                sequence = field.getValue();
            } else if (Arrays.equals(name, SENT_AT)) {
                sentAt = field.getValue();
            } else if (Arrays.equals(name, TOPIC)) {
                topic = field.getValue();
            } else if (Arrays.equals(name, PAYLOAD)) {
                payload = field.getValue();
            }
        }
        if (version != null && !Arrays.equals(version, RedisEntries.bytes(Integer.toString(RedisEntries.FORMAT_VERSION)))) {
            context.rejected(entry.getId(), "format version " + new String(version, StandardCharsets.UTF_8)
                    + ", which this node does not read (it reads version " + RedisEntries.FORMAT_VERSION
                    + "): a node of another release wrote it");
            return;
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
                    topic == null ? null : new String(topic, StandardCharsets.UTF_8), payload, sentAtMillis(sentAt));
        } catch (IllegalArgumentException e) {
            context.rejected(entry.getId(), String.valueOf(e.getMessage()));
            return;
        }
        context.receive(envelope);
    }

    /** The origin's send time, or 0 (not known) when absent or not a plausible time: it only measures lateness. */
    private static long sentAtMillis(byte @Nullable [] sentAt) {
        if (sentAt == null || sentAt.length == 0 || sentAt.length > 18) {
            return 0;
        }
        long millis = 0;
        for (byte digit : sentAt) {
            if (digit < '0' || digit > '9') {
                return 0;
            }
            millis = millis * 10 + (digit - '0');
        }
        return millis;
    }

    void close() {
        closed = true;
    }
}
