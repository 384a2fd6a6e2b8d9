package dev.flowpubsub.redis;

import io.lettuce.core.resource.Delay;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The pause before a reconnect: growing from 100 ms to 2 s, with jitter, so the nodes of a cluster that lost Redis
 * together do not all come back in the same millisecond. Lettuce's {@link Delay} computes it; this keeps the count.
 *
 * <p>Threading: one per loop (reader, writer); not shared.
 */
final class Backoff {

    private static final Delay DELAY = Delay.fullJitter(Duration.ofMillis(100), Duration.ofSeconds(2), 100,
            TimeUnit.MILLISECONDS);

    private long attempt;

    /** Sleeps before the next try; returns early if interrupted (with the interrupt flag set again). */
    void pause() {
        try {
            Thread.sleep(next());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The pause before the next try, counting it as one more. */
    Duration next() {
        return DELAY.createDelay(++attempt);
    }

    /** After a success: the next failure waits the shortest pause again. */
    void reset() {
        attempt = 0;
    }
}
