package dev.flowpubsub;

import com.google.errorprone.annotations.CanIgnoreReturnValue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hub's one timer thread: runs short actions after a delay (a page held back by the minimum batch interval, a
 * task the executor refused). A daemon platform thread that inherits no thread-locals, started on first use, so a
 * hub that never needs it has none.
 *
 * <p>Threading: {@link #schedule} from any thread; the actions run on the timer thread and must not block.
 */
final class HubTimer {

    private static final Logger LOG = Logs.DELIVERY;

    private final ReentrantLock lock = new ReentrantLock();
    private volatile @Nullable ScheduledExecutorService scheduler;
    private boolean closed;

    /**
     * Runs {@code action} once {@code delayNanos} have passed.
     *
     * @throws RejectedExecutionException if the timer was closed
     */
    @CanIgnoreReturnValue
    ScheduledFuture<?> schedule(Runnable action, long delayNanos) {
        return started().schedule(logged(action), delayNanos, TimeUnit.NANOSECONDS);
    }

    private ScheduledExecutorService started() {
        ScheduledExecutorService current = scheduler;
        if (current != null) {
            return current;
        }
        lock.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("the hub is closed");
            }
            if (scheduler == null) {
                ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon()
                        .name("flow-pubsub-timer").inheritInheritableThreadLocals(false).factory());
                // a cancelled wait (a page back within its disconnect grace) must not keep its page reachable
                created.setRemoveOnCancelPolicy(true);
                scheduler = created;
            }
            return scheduler;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code action} every {@code periodNanos}, from one period from now, until the timer is closed.
     *
     * @throws RejectedExecutionException if the timer was closed
     */
    @CanIgnoreReturnValue
    ScheduledFuture<?> repeat(Runnable action, long periodNanos) {
        return started().scheduleAtFixedRate(logged(action), periodNanos, periodNanos, TimeUnit.NANOSECONDS);
    }

    /**
     * The action, logging what it throws: a scheduled task's failure would otherwise stay in a future nobody reads
     * (and a repeated one would stop repeating without a word).
     */
    private static Runnable logged(Runnable action) {
        return () -> {
            try {
                action.run();
            } catch (RuntimeException | Error failure) {
                LOG.error("flow-pubsub: a timed task of the hub failed", failure);
                if (Failures.isFatal(failure)) {
                    throw failure;
                }
            }
        };
    }

    /** Whether the thread was ever started. */
    boolean isStarted() {
        return scheduler != null;
    }

    /** Whether it was started and has stopped since. */
    boolean isTerminated() {
        ScheduledExecutorService current = scheduler;
        return current != null && current.isTerminated();
    }

    /** Stops the thread, dropping what waits, and waits up to 5 seconds for a running action. Idempotent. */
    void close() {
        ScheduledExecutorService current;
        lock.lock();
        try {
            closed = true;
            current = scheduler;
        } finally {
            lock.unlock();
        }
        if (current == null) {
            return;
        }
        current.shutdownNow();
        try {
            current.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
