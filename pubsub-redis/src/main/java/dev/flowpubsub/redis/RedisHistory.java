package dev.flowpubsub.redis;

import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
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

    private final String stream;
    private final TransportContext context;
    private final Supplier<String> handedOver;
    private final String displayUri;
    private final RedisConnectionSlot connection;

    RedisHistory(RedisClient client, RedisURI uri, String stream, TransportContext context,
                 Supplier<String> handedOver, String displayUri) {
        this.stream = stream;
        this.context = context;
        this.handedOver = handedOver;
        this.displayUri = displayUri;
        this.connection = new RedisConnectionSlot(client, uri);
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
        return connection.get().thenCompose(open -> open.async().lrange(key, -limit, -1))
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

    void close() {
        connection.close();
    }
}
