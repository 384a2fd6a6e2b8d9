package dev.flowpubsub;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Runs the hub's own tasks (the fan-out, delivery lanes, the watchdog) on its executor, and knows when none is
 * running. A task the executor refuses (a bounded pool that is full) is not lost: it is offered again after a short
 * pause, doubling up to a second, so the state that scheduled it (a "fan-out scheduled" flag, a lane count) stays
 * true. Only closing the hub drops waiting tasks.
 *
 * <p>Threading: {@link #submit} from any thread, never blocks. {@link #awaitIdle} blocks its caller on a lock
 * condition (no monitor, so a virtual thread waiting here does not pin its carrier on JDK 21 to 23).
 */
final class Tasks {

    private static final Logger LOG = Logs.DELIVERY;
    private static final long FIRST_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long LAST_RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Executor executor;
    /** The default executor, owned and shut down by the hub; {@code null} when the application gave its own. */
    private final @Nullable ExecutorService owned;
    private final HubTimer timer;
    /** Tasks submitted and not yet finished (waiting for a retry included). */
    private final AtomicInteger busy = new AtomicInteger();
    private final ReentrantLock idleLock = new ReentrantLock();
    private final Condition idleChanged = idleLock.newCondition();
    private final AtomicBoolean rejectionWarned = new AtomicBoolean();
    private final AtomicInteger idleWaiters = new AtomicInteger();
    private volatile boolean closed;

    /** @param executor the application's executor, or {@code null} for virtual threads owned by the hub */
    Tasks(@Nullable Executor executor, HubTimer timer) {
        this.timer = timer;
        if (executor == null) {
            // no inheritable thread-locals: a sender's security context must never reach another user's handler
            this.owned = Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("flow-pubsub-", 0).inheritInheritableThreadLocals(false).factory());
            this.executor = owned;
        } else {
            this.owned = null;
            this.executor = executor;
        }
    }

    /** Runs {@code task} on the executor soon; it is counted as busy until it returns. */
    void submit(Runnable task) {
        busy.incrementAndGet();
        offer(new Counted(task), 0);
    }

    private void offer(Counted task, int retries) {
        try {
            executor.execute(task);
        } catch (RuntimeException rejected) { // RejectedExecutionException, or whatever else a pool throws
            if (closed) {
                done();
                return;
            }
            if (rejectionWarned.compareAndSet(false, true)) {
                LOG.warn("flow-pubsub: the executor refused a delivery task; it is retried until accepted (give the "
                        + "hub an executor that can run its lanes, see PubSubHubBuilder.executor)", rejected);
            }
            long pause = Math.min(LAST_RETRY_NANOS, FIRST_RETRY_NANOS << Math.min(retries, 10));
            try {
                timer.schedule(() -> offer(task, retries + 1), pause);
            } catch (RejectedExecutionException closedMeanwhile) {
                done();
            }
        }
    }

    /** A task that counts itself done however it ends. */
    private final class Counted implements Runnable {
        private final Runnable task;

        Counted(Runnable task) {
            this.task = task;
        }

        @Override
        public void run() {
            try {
                task.run();
            } catch (Throwable unexpected) {
                LOG.error("flow-pubsub: internal delivery task failed", unexpected);
                if (Failures.isFatal(unexpected)) {
                    throw unexpected;
                }
            } finally {
                done();
            }
        }
    }

    /** Counts one unit of work in progress that is not a task (a page waiting for its batch interval). */
    void begin() {
        busy.incrementAndGet();
    }

    /** Ends what {@link #submit} or {@link #begin} started. */
    void done() {
        if (busy.decrementAndGet() == 0 && idleWaiters.get() > 0) {
            idleLock.lock();
            try {
                idleChanged.signalAll();
            } finally {
                idleLock.unlock();
            }
        }
    }

    /**
     * Waits until no task runs or waits and {@code moreWork} is false.
     *
     * @return false if the timeout passed first
     */
    boolean awaitIdle(Duration timeout, BooleanSupplier moreWork) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        idleLock.lock();
        idleWaiters.incrementAndGet();
        try {
            while (busy.get() > 0 || moreWork.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                // short waits: work that appears without a task finishing (a new send) is seen on the next round
                idleChanged.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)));
            }
            return true;
        } finally {
            idleWaiters.decrementAndGet();
            idleLock.unlock();
        }
    }

    /** Refuses further tasks and stops the owned executor, waiting up to 5 seconds for running handlers. */
    void close() {
        closed = true;
        if (owned == null) {
            return;
        }
        owned.shutdown();
        try {
            if (!owned.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("flow-pubsub: handlers still running 5 s after close; interrupting them");
                owned.shutdownNow();
            }
        } catch (InterruptedException interrupted) {
            owned.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
