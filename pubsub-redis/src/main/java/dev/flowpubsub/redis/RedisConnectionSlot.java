package dev.flowpubsub.redis;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One connection opened on demand, asynchronously, and opened again when it broke (the client does not reconnect by
 * itself, see {@link RedisTransport}): what the history reader and the signal log hold for their calls. A connection
 * that is merely slow (a frozen Redis) is kept; its commands fail by the client's command timeout.
 *
 * <p>Threading: {@link #get} and {@link #close} from any thread; lock-free, so no caller waits on another.
 */
final class RedisConnectionSlot {

    private final RedisClient client;
    private final RedisURI uri;
    private final AtomicReference<@Nullable CompletableFuture<StatefulRedisConnection<byte[], byte[]>>> connection =
            new AtomicReference<>();
    private volatile boolean closed;

    RedisConnectionSlot(RedisClient client, RedisURI uri) {
        this.client = client;
        this.uri = uri;
    }

    /** The open connection, or a new one if there is none yet or it broke; fails once {@link #close closed}. */
    CompletableFuture<StatefulRedisConnection<byte[], byte[]>> get() {
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

    /** Closes the connection (when it is open, or as soon as it opens); later calls to {@link #get} fail. */
    void close() {
        closed = true;
        CompletableFuture<StatefulRedisConnection<byte[], byte[]>> current = connection.getAndSet(null);
        if (current != null) {
            var unused = current.thenAccept(RedisWriter::closeQuietly);
        }
    }
}
