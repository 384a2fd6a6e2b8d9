package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.util.Collection;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What other threads hand to a {@link SignalReplica}'s thread: names to load, an effect's reads to check, a snapshot
 * to take now. Counts the checks not run yet, so that {@code awaitIdle} waits for them (a check may start effects).
 *
 * <p>Threading: {@link #add} and {@link #addCheck} from any thread; {@link #poll} on the replica's thread.
 */
final class SignalRequests {

    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger checks = new AtomicInteger();

    void add(Runnable request) {
        queue.add(request);
    }

    void addAll(Collection<? extends Runnable> requests) {
        queue.addAll(requests);
    }

    /** Hands over a check, counted until it has run. */
    void addCheck(Runnable check) {
        checks.incrementAndGet();
        queue.add(() -> {
            try {
                check.run();
            } finally {
                checks.decrementAndGet();
            }
        });
    }

    /** Whether a check waits or runs. Any thread. */
    boolean checking() {
        return checks.get() > 0;
    }

    @Nullable Runnable poll() {
        return queue.poll();
    }

    int size() {
        return queue.size();
    }

    boolean isEmpty() {
        return queue.isEmpty();
    }
}
