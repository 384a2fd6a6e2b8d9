package dev.flowpubsub.postgres;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pause before a reconnect: an exponential ceiling from 100 ms to 2 s with full jitter, so the nodes of a
 * cluster that lost PostgreSQL together do not all come back in the same millisecond.
 *
 * <p>Threading: one per loop (reader, writer); not shared.
 */
final class Backoff {

    private static final long FIRST_MILLIS = 100;
    private static final long MAX_MILLIS = 2_000;

    private int attempt;

    /** Sleeps before the next try; returns early if interrupted (with the interrupt flag set again). */
    void pause() {
        try {
            Thread.sleep(next());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The pause before the next try, counting it as one more: between 100 ms and the attempt's ceiling. */
    Duration next() {
        attempt = Math.min(attempt + 1, 16);
        long ceiling = Math.min(MAX_MILLIS, FIRST_MILLIS << (attempt - 1));
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(FIRST_MILLIS, ceiling + 1));
    }

    /** After a success: the next failure waits the shortest pause again. */
    void reset() {
        attempt = 0;
    }
}
