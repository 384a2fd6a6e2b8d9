package dev.flowpubsub.spi.support;

import org.jspecify.annotations.NullMarked;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pause before a reconnect, as a value: "full jitter" under an exponential ceiling. The {@code n}th pause in a row
 * is drawn evenly between {@code first} and {@code min(max, first * 2^(n-1))}, so the nodes of a cluster that lost
 * their engine together do not all come back in the same millisecond, and a node whose engine is back soon is back
 * soon too. {@link #RECONNECT} is what the bundled transports use: 100 ms, growing to at most 2 s.
 *
 * <p>Why this algorithm and not Lettuce's {@code Delay.fullJitter} (which draws between half the ceiling and the
 * ceiling): see DECISIONS.md, "One reconnect loop, one backoff".
 *
 * <p>Threading: immutable; the attempt count is its caller's ({@link EngineLoop} keeps one per loop).
 */
@NullMarked
public final class Backoff {

    /** What the bundled transports' readers and writers wait between tries: 100 ms, growing to 2 s. */
    public static final Backoff RECONNECT = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));

    private static final int MAX_HOURS = 1;

    private final long firstMillis;
    private final long maxMillis;

    private Backoff(Duration first, Duration max) {
        this.firstMillis = first.toMillis();
        this.maxMillis = max.toMillis();
    }

    /**
     * Pauses from {@code first} (at least 1 ms), their ceiling doubling at each attempt up to {@code max} (at least
     * {@code first}, at most 1 hour: a longer pause is not a reconnect).
     */
    public static Backoff fullJitter(Duration first, Duration max) {
        Arguments.atLeast(first, Duration.ofMillis(1), "first");
        Arguments.atLeast(max, first, "max");
        if (max.compareTo(Duration.ofHours(MAX_HOURS)) > 0) {
            throw new IllegalArgumentException("max must be at most " + MAX_HOURS + " hour (got " + max + ")");
        }
        return new Backoff(first, max);
    }

    /** The pause before try number {@code attempt} (1 for the first retry): from {@code first} to the ceiling. */
    public Duration pause(long attempt) {
        Arguments.positive(attempt, "attempt");
        long ceiling = firstMillis;
        for (long n = 1; n < attempt && ceiling < maxMillis; n++) { // a few turns: it doubles up to max
            ceiling = ceiling > maxMillis / 2 ? maxMillis : ceiling * 2;
        }
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(firstMillis, ceiling + 1));
    }

    @Override
    public String toString() {
        return "Backoff[full jitter, " + firstMillis + " ms to " + maxMillis + " ms]";
    }
}
