package dev.flowpubsub;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Holds back a page whose last batch started less than the minimum batch interval ago, and hands it to the lanes
 * when the interval has passed; messages arriving meanwhile join the waiting batch. A held-back page counts as work
 * in progress ({@link Tasks#begin}) until it is handed over, or until {@link #close} drops it.
 *
 * <p>Threading: {@link #holdBack} from any thread; pages are released on the {@link HubTimer} thread.
 */
final class BatchPacer {

    private final HubTimer timer;
    private final Tasks tasks;
    private final DeliveryLanes lanes;
    private final Set<HeldBack> heldBack = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    BatchPacer(HubTimer timer, Tasks tasks, DeliveryLanes lanes) {
        this.timer = timer;
        this.tasks = tasks;
        this.lanes = lanes;
    }

    /** Hands the page to the lanes once {@code delayNanos} have passed. */
    void holdBack(DeliveryLanes.Page page, long delayNanos) {
        tasks.begin();
        HeldBack held = new HeldBack(page);
        heldBack.add(held);
        try {
            timer.schedule(held, delayNanos);
        } catch (RejectedExecutionException closedMeanwhile) {
            held.finish(false);
        }
    }

    /** A page waiting for its interval; un-counted exactly once, whether it runs or the hub closes first. */
    private final class HeldBack implements Runnable {
        private final DeliveryLanes.Page page;
        private final AtomicBoolean finished = new AtomicBoolean();

        HeldBack(DeliveryLanes.Page page) {
            this.page = page;
        }

        @Override
        public void run() {
            finish(true);
        }

        void finish(boolean makeReady) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            heldBack.remove(this);
            try {
                if (makeReady && !closed) {
                    lanes.schedule(page);
                }
            } finally {
                tasks.done();
            }
        }
    }

    /** Drops every held-back page (its batch goes with the hub, as every pending message does). */
    void close() {
        closed = true;
        for (HeldBack held : heldBack) {
            held.finish(false);
        }
    }
}
