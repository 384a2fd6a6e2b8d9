package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;

/**
 * One page's pending items, oldest first: messages (at most {@code capacity}; the {@link OverflowPolicy} decides what
 * goes when full) and {@link Activation}s, the points where subscriptions start, which take no place of a message and
 * are never dropped. It also keeps whether a drain of the page is scheduled: never non-empty without one.
 *
 * <p>Threading: not thread-safe; every method runs under its {@link Page}'s monitor.
 */
final class PageQueue {

    /** What an offer did: how many messages it added and dropped, whether that was the page's first drop, and
     * whether the caller must schedule a drain (none was). */
    record Offered(int added, int dropped, boolean firstDrop, boolean drainNow) {
    }

    private final int capacity;
    private final OverflowPolicy overflowPolicy;
    /** {@code null} while empty, so an idle page costs no queue. */
    private @Nullable ArrayDeque<PageItem> items;
    /** How many of {@link #items} are {@link Activation}s. */
    private int activations;
    /** True from the moment a drain is claimed until a batch finds the queue empty. */
    private boolean drainScheduled;
    /** Counts the batches taken, so a drain that failed can tell whether its batch ran. */
    private int batchesTaken;
    private boolean overflowed;

    PageQueue(int capacity, OverflowPolicy overflowPolicy) {
        this.capacity = capacity;
        this.overflowPolicy = overflowPolicy;
    }

    int capacity() {
        return capacity;
    }

    /** Appends a message, or applies the overflow policy when the queue is full of messages. */
    Offered offer(Envelope envelope) {
        ArrayDeque<PageItem> queue = items(8);
        boolean added = append(queue, envelope);
        return offered(added ? 1 : 0, added ? 0 : 1);
    }

    /** Appends several consecutive messages with the same targets. */
    Offered offerAll(List<Envelope> run) {
        ArrayDeque<PageItem> queue = items(Math.max(8, run.size()));
        int dropped = 0;
        for (Envelope envelope : run) {
            if (!append(queue, envelope)) {
                dropped++;
            }
        }
        return offered(run.size() - dropped, dropped);
    }

    /** Appends where a subscription starts; never dropped. */
    Offered offer(Activation activation) {
        items(8).addLast(activation);
        activations++;
        return offered(1, 0);
    }

    private ArrayDeque<PageItem> items(int initialCapacity) {
        ArrayDeque<PageItem> queue = items;
        if (queue == null) {
            queue = new ArrayDeque<>(Math.min(capacity, initialCapacity));
            items = queue;
        }
        return queue;
    }

    private Offered offered(int added, int dropped) {
        boolean firstDrop = dropped > 0 && !overflowed;
        if (dropped > 0) {
            overflowed = true;
        }
        boolean drainNow = !drainScheduled;
        drainScheduled = true;
        return new Offered(added, dropped, firstDrop, drainNow);
    }

    /** Appends, or, full of messages, makes room by the policy (the oldest goes, or this one). False on a drop. */
    private boolean append(ArrayDeque<PageItem> queue, Envelope envelope) {
        if (queue.size() - activations < capacity) {
            queue.addLast(envelope);
            return true;
        }
        if (overflowPolicy == OverflowPolicy.DROP_OLDEST) {
            removeOldestMessage(queue);
            queue.addLast(envelope);
        }
        return false;
    }

    private static void removeOldestMessage(ArrayDeque<PageItem> queue) {
        for (Iterator<PageItem> it = queue.iterator(); it.hasNext(); ) {
            switch (it.next()) {
                case Envelope message -> {
                    it.remove();
                    return;
                }
                case Activation start -> {
                    // a subscription's start is not a message: it is never dropped
                }
            }
        }
    }

    /** Everything pending, to run as one batch, leaving the queue empty; {@code null} if nothing is pending. */
    @Nullable ArrayDeque<PageItem> takeBatch() {
        batchesTaken++;
        ArrayDeque<PageItem> batch = items;
        items = null;
        activations = 0;
        if (batch == null) {
            drainScheduled = false;
        }
        return batch;
    }

    /** A batch ended: whether more is pending, so the page must be drained again (the drain stays claimed). */
    boolean batchEnded() {
        drainScheduled = items != null;
        return drainScheduled;
    }

    /** How many batches were taken so far. */
    int batchesTaken() {
        return batchesTaken;
    }

    /** Whether a drain is claimed and no batch was taken since {@code taken}: the drain did not run. */
    boolean drainPendingSince(int taken) {
        return batchesTaken == taken && drainScheduled && items != null;
    }

    /** How many items are pending. */
    int size() {
        return items == null ? 0 : items.size();
    }

    /** Forgets everything pending; returns how many items it was. */
    int clear() {
        int size = size();
        items = null;
        activations = 0;
        return size;
    }
}
