package dev.flowpubsub;

import dev.flowpubsub.spi.support.Arguments;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hub's inbox: messages sent on this node or received from others, and the hub's own control items, in the
 * one order the fan-out follows. Page messages are bounded: a sender first takes one of {@code capacity} places
 * ({@link #tryReserve}, or {@link #reserve} to wait for one), and the fan-out gives it back when it takes the
 * message. Control items and the presence protocol take no place and are never refused, so a leave can never be
 * lost to a full inbox.
 *
 * <p>Threading: any thread adds; one fan-out task at a time polls. Waiting senders park on a lock condition, never
 * on a monitor.
 */
final class HubInbox {

    private final ConcurrentLinkedQueue<InboxItem> items = new ConcurrentLinkedQueue<>();
    private final int capacity;
    /** Places taken: page messages in the inbox or about to be added by a sender that reserved. */
    private final AtomicInteger taken = new AtomicInteger();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private final AtomicInteger waiting = new AtomicInteger();
    private volatile boolean closed;

    HubInbox(int capacity) {
        this.capacity = Arguments.positive(capacity, "inboxCapacity");
    }

    int capacity() {
        return capacity;
    }

    /** Page messages in the inbox (or reserved for). */
    int size() {
        return taken.get();
    }

    /** Takes a place for a page message if one is free now. */
    boolean tryReserve() {
        for (;;) {
            int now = taken.get();
            if (now >= capacity) {
                return false;
            }
            if (taken.compareAndSet(now, now + 1)) {
                return true;
            }
        }
    }

    /**
     * Takes a place for a page message, waiting up to {@code timeoutNanos} for one to free up.
     *
     * @return false if none freed up in time, or the inbox was closed
     */
    boolean reserve(long timeoutNanos) throws InterruptedException {
        if (tryReserve()) {
            return true;
        }
        long left = timeoutNanos;
        lock.lock();
        waiting.incrementAndGet();
        try {
            while (!tryReserve()) {
                if (closed || left <= 0) {
                    return false;
                }
                left = freed.awaitNanos(left);
            }
            return true;
        } finally {
            waiting.decrementAndGet();
            lock.unlock();
        }
    }

    /** Gives back a place that was reserved but not used. */
    void release() {
        taken.decrementAndGet();
        wakeWaiters();
    }

    /** Adds an item; a page message must hold a place reserved before. */
    void add(InboxItem item) {
        items.offer(item);
    }

    /** The next item, giving back the place of a page message; fan-out task only. */
    InboxItem poll() {
        InboxItem item = items.poll();
        if (item instanceof Envelope envelope && envelope.isPageMessage()) {
            release();
        }
        return item;
    }

    InboxItem peek() {
        return items.peek();
    }

    boolean isEmpty() {
        return items.isEmpty();
    }

    private void wakeWaiters() {
        if (waiting.get() > 0) {
            lock.lock();
            try {
                freed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    /** Whether it was closed: the hub is closed. */
    boolean isClosed() {
        return closed;
    }

    /** Forgets everything and wakes every waiting sender, which then gives up. */
    void close() {
        closed = true;
        items.clear();
        lock.lock();
        try {
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
