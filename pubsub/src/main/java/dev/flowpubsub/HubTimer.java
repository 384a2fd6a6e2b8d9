package dev.flowpubsub;

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

    private final ReentrantLock lock = new ReentrantLock();
    private volatile ScheduledExecutorService scheduler;
    private boolean closed;

    /**
     * Runs {@code action} once {@code delayNanos} have passed.
     *
     * @throws RejectedExecutionException if the timer was closed
     */
    ScheduledFuture<?> schedule(Runnable action, long delayNanos) {
        return started().schedule(action, delayNanos, TimeUnit.NANOSECONDS);
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
    ScheduledFuture<?> repeat(Runnable action, long periodNanos) {
        return started().scheduleAtFixedRate(action, periodNanos, periodNanos, TimeUnit.NANOSECONDS);
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
