package dev.flowpubsub.redis;

import io.lettuce.core.XReadArgs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Waits for an entry to be appended to the signal stream after a position: {@code XREAD BLOCK} on a connection of its
 * own, never the one that appends, so a waiting read delays no other call. It blocks in slices of at most
 * {@link RedisReader#BLOCK_MILLIS}, which the client's command timeout allows for ({@link RedisTransport}), until
 * the deadline passes; a frozen Redis fails the slice by that timeout.
 *
 * <p>Threading: any thread, one wait at a time per log (the hub reads from one thread at a time; a second wait queues
 * behind the first on the connection); never blocks the caller, the stage completes on Lettuce's threads.
 */
final class RedisSignalWait {

    private final RedisConnectionSlot connection;
    private final byte[] stream;

    RedisSignalWait(RedisConnectionSlot connection, byte[] stream) {
        this.connection = connection;
        this.stream = stream;
    }

    /** Completes with {@code true} once an entry after {@code position} is in the stream, {@code false} at the deadline. */
    @SuppressWarnings("unchecked") // Lettuce's xread takes the stream offsets as generic varargs
    CompletableFuture<Boolean> appendedAfter(long position, long deadlineNanos) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime());
        if (left <= 0) {
            return CompletableFuture.completedFuture(false);
        }
        long slice = Math.min(left, RedisReader.BLOCK_MILLIS); // 0 would block for ever
        return connection.get()
                .thenCompose(open -> open.async().xread(XReadArgs.Builder.block(slice).count(1),
                        XReadArgs.StreamOffset.from(stream, "0-" + position)))
                .thenCompose(found -> found.isEmpty() ? appendedAfter(position, deadlineNanos)
                        : CompletableFuture.completedFuture(true));
    }

    void close() {
        connection.close();
    }
}
