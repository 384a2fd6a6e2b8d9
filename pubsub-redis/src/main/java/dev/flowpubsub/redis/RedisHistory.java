package dev.flowpubsub.redis;

import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Reads a topic's history list, up to the last stream entry this node's reader has handed to the hub (see
 * {@code Transport.history}): asynchronously, on a connection of its own that it opens when first needed (and again
 * after it broke), holding no lock, so a slow or frozen Redis delays nothing but the read itself. A read Redis has not
 * answered within the hub's history timeout fails.
 *
 * <p>Threading: {@link #read} from any thread; Lettuce completes the stage on its own threads.
 */
final class RedisHistory {

    private final RedisClient client;
    private final RedisURI uri;
    private final String stream;
    private final TransportContext context;
    private final Supplier<String> handedOver;
    private final String displayUri;
    private final AtomicReference<@Nullable CompletableFuture<StatefulRedisConnection<byte[], byte[]>>> connection =
            new AtomicReference<>();
    private volatile boolean closed;

    RedisHistory(RedisClient client, RedisURI uri, String stream, TransportContext context,
                 Supplier<String> handedOver, String displayUri) {
        this.client = client;
        this.uri = uri;
        this.stream = stream;
        this.context = context;
        this.handedOver = handedOver;
        this.displayUri = displayUri;
    }

    /**
     * The topic's last entries up to the last one the reader handed over, so that none also arrives by the stream
     * later. The position is read when Redis answers: entries appended meanwhile are either handed over by then, and
     * merged by the hub, or left out here and read from the stream.
     */
    CompletionStage<List<TransportEnvelope>> read(String topic, int limit) {
        if (handedOver.get() == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("Redis " + displayUri + " has not been reached yet"));
        }
        byte[] key = RedisEntries.bytes(stream + ":history:" + topic);
        return connection().thenCompose(open -> open.async().lrange(key, -limit, -1))
                .thenApply(entries -> upTo(handedOver.get(), topic, entries))
                .toCompletableFuture().orTimeout(context.historyTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private List<TransportEnvelope> upTo(String start, String topic, List<byte[]> entries) {
        List<TransportEnvelope> older = new ArrayList<>(entries.size());
        for (byte[] raw : entries) {
            RedisEntries.HistoryEntry entry = RedisEntries.HistoryEntry.parse(raw, topic);
            if (entry == null) {
                context.rejected(stream + ":history:" + topic, "malformed history entry");
            } else if (RedisEntries.compareIds(entry.id(), start) <= 0) {
                older.add(entry.envelope());
            }
        }
        return older;
    }

    /** The open query connection, or a new one if there is none or it broke. */
    private CompletableFuture<StatefulRedisConnection<byte[], byte[]>> connection() {
        for (;;) {
            CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current = connection.get();
            if (current != null && !(current.isDone() && (current.isCompletedExceptionally() || !current.join().isOpen()))) {
                return current;
            }
            if (closed) {
                return CompletableFuture.failedFuture(new IllegalStateException("the transport is closed"));
            }
            CompletableFuture<StatefulRedisConnection<byte[], byte[]>> fresh =
                    client.connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
            if (connection.compareAndSet(current, fresh)) {
                if (current != null && !current.isCompletedExceptionally()) {
                    RedisWriter.closeQuietly(current.join());
                }
                return fresh;
            }
            var unused = fresh.thenAccept(RedisWriter::closeQuietly); // another caller won the race
        }
    }

    void close() {
        closed = true;
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current = connection.getAndSet(null);
        if (current != null) {
            var unused = current.thenAccept(RedisWriter::closeQuietly);
        }
    }
}
