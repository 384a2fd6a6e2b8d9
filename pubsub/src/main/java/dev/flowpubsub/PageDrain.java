package dev.flowpubsub;

import com.vaadin.flow.server.Command;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A page's delivery: what the fan-out enqueues for it goes into its {@link PageQueue}, and a delivery lane runs what is
 * pending as one {@link PageBatch} under the page's session lock, through its {@link PageAccess} (now if the lock is
 * free, else right after its holder); one push in flight per page; with a minimum interval between batches, the next
 * waits for it. When Vaadin fails around a batch, a drain that did not run is tried again shortly.
 *
 * <p>Threading: the queue is guarded by the {@link Page}'s monitor, held only for a few field updates; the fan-out
 * task enqueues, one delivery lane at a time drains.
 */
final class PageDrain {

    /** How long a page whose drain Vaadin refused waits before it is drained again. */
    private static final long DRAIN_RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final Page page;
    private final PageAccess access;
    private final PageServices services;
    /** Guarded by the page's monitor. */
    private final PageQueue queue;
    /**
     * With a minimum interval between batches: the {@code System.nanoTime()} before which this page's next batch does
     * not start; 0 before the first batch. Written by the lane running a batch, read by whoever schedules the next.
     */
    private volatile long nextBatchAt;
    private boolean pushFailureWarned;
    /** {@link #runBatch} and the page's close as Vaadin commands, made once: a drain allocates none. */
    private final Command batchCommand = this::runBatch;
    private final Command closeCommand;
    /** Runs a batch; holds no state of its own between batches. */
    private final PageBatch batches;

    PageDrain(Page page, PageAccess access, PageServices services, PageSubscriptions subscriptions) {
        this.page = page;
        this.access = access;
        this.services = services;
        this.queue = new PageQueue(services.queueCapacity(), services.overflowPolicy());
        this.closeCommand = page::close;
        this.batches = new PageBatch(page, subscriptions, services);
    }

    /** Forgets what is pending; returns how much. The page's monitor held. */
    int clear() {
        return queue.clear();
    }

    /** Called by the dispatcher's fan-out task only, so messages of one sender enter in the order they were sent. */
    void enqueue(Envelope envelope) {
        PageQueue.Offered offered;
        synchronized (page) {
            if (page.isClosedHeld()) {
                return;
            }
            offered = queue.offer(envelope);
            services.counters().pending.add(offered.added());
        }
        queued(offered);
    }

    /**
     * Like {@link #enqueue(Envelope)} for several consecutive messages with the same targets, under one lock: the
     * fan-out of a busy stream visits each page once per run instead of once per message.
     */
    void enqueue(List<Envelope> run) {
        PageQueue.Offered offered;
        synchronized (page) {
            if (page.isClosedHeld()) {
                return;
            }
            offered = queue.offerAll(run);
            services.counters().pending.add(offered.added());
        }
        queued(offered);
    }

    /**
     * Called by the fan-out task where a subscription taken with a snapshot starts. Never dropped: it is not a
     * message but the point where the subscription begins.
     */
    void enqueue(Activation activation) {
        PageQueue.Offered offered;
        synchronized (page) {
            if (page.isClosedHeld()) {
                return;
            }
            offered = queue.offer(activation);
            services.counters().pending.add(offered.added());
        }
        queued(offered);
    }

    private void queued(PageQueue.Offered offered) {
        if (offered.drainNow()) {
            scheduleDrain();
        }
        for (int i = 0; i < offered.dropped(); i++) {
            services.reports().dropped(access.uiId(), queue.capacity(), offered.firstDrop() && i == 0);
        }
    }

    /**
     * A delivery lane's work for this page: run the pending batch under the page's session lock (see
     * {@link PageAccess#runLocked}). While the page's last push is still being written, the batch waits for it,
     * collecting what arrives meanwhile.
     */
    void drain() {
        if (!access.inSession()) {
            page.close();
            return;
        }
        if (access.pushInFlight(System.nanoTime())) {
            // one push in flight per page: this batch runs, fuller, once the last one has been written
            services.runs().afterPush(page, access);
            return;
        }
        int taken;
        synchronized (page) {
            taken = queue.batchesTaken();
        }
        try {
            access.runLocked(batchCommand, closeCommand);
        } catch (RuntimeException vaadinFailure) {
            recover(vaadinFailure, taken);
        }
    }

    /**
     * Vaadin failed around this page's batch. Having taken the session's lock, this thread also runs the session's
     * other queued tasks and pushes its pages when releasing it; what fails there (a push on a broken connection, a
     * session being destroyed meanwhile) is Vaadin's, and the batch ran or is still queued with the session. But if
     * Vaadin refused before the batch ran (this thread holds another session's lock: an executor that runs tasks on
     * the caller's thread), the page would wait for a drain that never comes: it is drained again, shortly, from the
     * hub's timer thread.
     */
    private void recover(RuntimeException vaadinFailure, int taken) {
        boolean notRun;
        synchronized (page) {
            notRun = !page.isClosedHeld() && queue.drainPendingSince(taken);
        }
        Page.LOG.warn("flow-pubsub: Vaadin failed while running the session tasks of UI {} around a delivery{}",
                access.uiId(), notRun ? "; the delivery is tried again shortly" : "", vaadinFailure);
        if (notRun) {
            services.runs().after(page, DRAIN_RETRY_NANOS);
            return;
        }
        try {
            access.purgeAccessQueue();
        } catch (RuntimeException again) {
            Page.LOG.warn("flow-pubsub: and again; the delivery runs with the session's next request", again);
        }
    }

    /**
     * Hands this page to a delivery lane: at once, or, with a minimum interval between batches, when the interval
     * since the last batch has passed (messages arriving meanwhile join the waiting batch).
     */
    private void scheduleDrain() {
        long earliest = nextBatchAt;
        if (earliest != 0) {
            long wait = earliest - System.nanoTime();
            if (wait > 0) {
                services.runs().after(page, wait);
                return;
            }
        }
        services.runs().now(page);
    }

    /**
     * Runs with the page's session lock held. Handles what is queued now, in order (see {@link PageBatch}). However
     * the batch ends (a fatal error included), the drain is settled in {@code finally}, so the page is never left
     * waiting for a drain that will not come.
     */
    private void runBatch() {
        ArrayDeque<PageItem> batch;
        synchronized (page) {
            batch = queue.takeBatch();
            if (page.isClosedHeld() || batch == null) {
                if (batch != null) {
                    queue.batchEnded();
                }
                return;
            }
            services.counters().pending.add(-batch.size());
        }
        try {
            long interval = services.minBatchIntervalNanos();
            if (interval > 0) {
                nextBatchAt = (System.nanoTime() + interval) | 1; // never 0, which means "no batch yet"
            }
            batches.run(batch);
            if (access.pushesManually()) {
                pushManually();
            }
        } finally {
            boolean again;
            synchronized (page) {
                again = queue.batchEnded() && !page.isClosedHeld();
            }
            if (again) {
                // a new access per round, so a steady stream cannot hold this session's lock and push forever
                scheduleDrain();
            }
        }
    }

    /** In manual push mode the batch's changes go out only with a push; a broken one must not stop the next batch. */
    private void pushManually() {
        try {
            access.push();
        } catch (RuntimeException failure) {
            boolean first;
            synchronized (page) {
                first = !pushFailureWarned;
                pushFailureWarned = true;
            }
            if (first) {
                Page.LOG.warn("flow-pubsub: pushing UI {} failed after a delivery; its changes reach the browser "
                        + "with its next request (logged once per page)", access.uiId(), failure);
            }
        }
    }
}
