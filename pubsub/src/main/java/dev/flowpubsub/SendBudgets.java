package dev.flowpubsub;

import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.spi.support.Arguments;

import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The send budget of each browser session: a token bucket, {@code burst} sends at once and then {@code rate} per
 * second, shared by all tabs of the session. Kept as a generic cell rate (one "theoretical arrival time" per
 * session, which is all a token bucket needs), in a weak map, so a session that ends leaves nothing behind.
 *
 * <p>Threading: any thread; one short lock around the map and the bucket's one field, never held while
 * anything else happens. Page sends are user-paced, so the lock sees little contention.
 */
final class SendBudgets {

    /** What a send may do. */
    enum Verdict {
        ALLOWED,
        /** Refused, and the first refusal of this session: worth one log line. */
        REFUSED_FIRST,
        REFUSED
    }

    private final double rate;
    private final int burst;
    private final long intervalNanos;
    private final long toleranceNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<VaadinSession, Bucket> buckets = new WeakHashMap<>();

    /**
     * A budget of {@code burst} sends at once, then {@code rate} per second.
     *
     * @param rate  sends per second, more than 0
     * @param burst sends at once, at least 1
     */
    SendBudgets(double rate, int burst) {
        if (!(rate > 0) || Double.isInfinite(rate)) {
            throw new IllegalArgumentException("send budget rate must be a positive number of messages per second (got "
                    + rate + ")");
        }
        this.rate = rate;
        this.burst = Arguments.positive(burst, "send budget burst");
        this.intervalNanos = Math.max(1, (long) (TimeUnit.SECONDS.toNanos(1) / rate));
        this.toleranceNanos = intervalNanos * (burst - 1);
    }

    double rate() {
        return rate;
    }

    int burst() {
        return burst;
    }

    /** Charges one send to the session, if its budget allows it. */
    Verdict charge(VaadinSession session) {
        long now = System.nanoTime();
        lock.lock();
        try {
            Bucket bucket = buckets.computeIfAbsent(session, s -> new Bucket());
            long arrival = Math.max(bucket.arrival, now);
            if (arrival - now > toleranceNanos) {
                boolean first = !bucket.warned;
                bucket.warned = true;
                return first ? Verdict.REFUSED_FIRST : Verdict.REFUSED;
            }
            bucket.arrival = arrival + intervalNanos;
            return Verdict.ALLOWED;
        } finally {
            lock.unlock();
        }
    }

    private static final class Bucket {
        /** When the bucket would be full again if nothing more were sent: at most {@code now + tolerance} to send. */
        long arrival = Long.MIN_VALUE;
        boolean warned;
    }
}
