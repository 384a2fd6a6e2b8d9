package dev.flowpubsub;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Pages whose next batch waits until their last push has been written: at most one push in flight per page. A page
 * with messages whose push connection is still writing waits here instead of running its batch; what arrives
 * meanwhile joins that batch, so under load each page gets fewer, fuller pushes, and nothing queues inside
 * Atmosphere. Looks every {@link #SWEEP_NANOS} while pages wait, on the hub's timer, and hands each page whose push
 * is done back to the lanes. A waiting page counts as work in progress ({@link Tasks#begin}) until then.
 *
 * <p>Threading: {@link #await} from a lane; the sweep runs on the {@link HubTimer} thread, never blocks.
 */
final class PushWaits {

    /** How often waiting pages are looked at: the most a push's end can add to a page's next batch. */
    static final long SWEEP_NANOS = TimeUnit.MILLISECONDS.toNanos(2);

    private final HubTimer timer;
    private final Tasks tasks;
    private final DeliveryLanes lanes;
    private final ConcurrentLinkedQueue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    /** How many wait: the queue's own size() walks it. */
    private final AtomicInteger count = new AtomicInteger();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();
    private volatile boolean closed;

    /** A page waiting for its push; un-counted exactly once, whether it goes on or the hub closes first. */
    private final class Waiting {
        final DeliveryLanes.Page page;
        final PageAccess access;
        private final AtomicBoolean finished = new AtomicBoolean();

        Waiting(DeliveryLanes.Page page, PageAccess access) {
            this.page = page;
            this.access = access;
        }

        void finish(boolean goOn) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            count.decrementAndGet();
            try {
                if (goOn && !closed) {
                    lanes.schedule(page);
                }
            } finally {
                tasks.done();
            }
        }
    }

    PushWaits(HubTimer timer, Tasks tasks, DeliveryLanes lanes) {
        this.timer = timer;
        this.tasks = tasks;
        this.lanes = lanes;
    }

    /** Holds the page until its push in flight is done, then hands it to the lanes. */
    void await(DeliveryLanes.Page page, PageAccess access) {
        tasks.begin();
        count.incrementAndGet();
        waiting.add(new Waiting(page, access));
        scheduleSweep();
    }

    /** Pages waiting for their push now. */
    int size() {
        return count.get();
    }

    private void scheduleSweep() {
        if (!closed && sweepScheduled.compareAndSet(false, true)) {
            try {
                timer.schedule(this::sweep, SWEEP_NANOS);
            } catch (RejectedExecutionException closedMeanwhile) {
                close();
            }
        }
    }

    private void sweep() {
        sweepScheduled.set(false);
        long now = System.nanoTime();
        for (Iterator<Waiting> it = waiting.iterator(); it.hasNext(); ) {
            Waiting entry = it.next();
            if (closed || !entry.access.pushInFlight(now)) {
                it.remove();
                entry.finish(true);
            }
        }
        if (!waiting.isEmpty()) {
            scheduleSweep();
        }
    }

    /** Lets every waiting page go (their batches go with the hub, as every pending message does). */
    void close() {
        closed = true;
        Waiting entry;
        while ((entry = waiting.poll()) != null) {
            entry.finish(false);
        }
    }
}
