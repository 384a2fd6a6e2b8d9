package dev.flowpubsub;

import com.vaadin.flow.shared.Registration;
import org.slf4j.Logger;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The hub's {@link LatencyListener}s and the arithmetic of "how late": a page's batch reports the send times of its
 * oldest local and oldest remote message, the cluster the origin time of what it receives.
 *
 * <p>Threading: any thread. The listeners are a copy-on-write array behind an atomic reference, so a hub without
 * listeners pays one volatile read per batch and no clock read there (sends are stamped anyway).
 */
final class Latencies {

    private static final Logger LOG = Logs.DELIVERY;
    private static final Entry[] NONE = {};

    /** A send time a batch has not seen: larger than any {@code System.nanoTime()} it compares it with. */
    static final long NOT_SEEN = Long.MAX_VALUE;

    private final AtomicReference<Entry[]> entries = new AtomicReference<>(NONE);

    /** Whether anyone listens; batches skip the bookkeeping when not. */
    boolean active() {
        return entries.get().length > 0;
    }

    Registration add(LatencyListener listener) {
        Entry entry = new Entry(listener);
        entries.updateAndGet(current -> {
            Entry[] grown = Arrays.copyOf(current, current.length + 1);
            grown[current.length] = entry;
            return grown;
        });
        return () -> entries.updateAndGet(
                current -> Arrays.stream(current).filter(each -> each != entry).toArray(Entry[]::new));
    }

    /**
     * A batch handed messages to their handlers; {@link #NOT_SEEN} where it had none of that kind.
     *
     * @param oldestLocal  the {@code System.nanoTime()} at which its oldest message of this node was sent
     * @param oldestRemote the same for messages from other nodes (estimated from the origin's clock)
     */
    void batchDelivered(long oldestLocal, long oldestRemote) {
        Entry[] listeners = entries.get();
        if (listeners.length == 0 || (oldestLocal == NOT_SEEN && oldestRemote == NOT_SEEN)) {
            return;
        }
        long now = System.nanoTime();
        for (Entry entry : listeners) {
            if (oldestLocal != NOT_SEEN) {
                entry.delivered(Math.max(0, now - oldestLocal), false);
            }
            if (oldestRemote != NOT_SEEN) {
                entry.delivered(Math.max(0, now - oldestRemote), true);
            }
        }
    }

    /**
     * The {@code System.nanoTime()} equivalent of a remote envelope's send time, and tells the listeners how far
     * behind the reader is. Unknown or future times (an earlier release, clock skew) count as sent now.
     */
    long received(long sentAtMillis) {
        long now = System.nanoTime();
        long age = sentAtMillis == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - sentAtMillis) * 1_000_000);
        for (Entry entry : entries.get()) {
            entry.received(age);
        }
        return now - age;
    }

    /** A listener that may throw: logged the first time, ignored after. */
    private static final class Entry {

        private final LatencyListener listener;
        private final AtomicBoolean warned = new AtomicBoolean();

        Entry(LatencyListener listener) {
            this.listener = listener;
        }

        void delivered(long nanos, boolean fromOtherNode) {
            try {
                listener.delivered(nanos, fromOtherNode);
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        void received(long nanos) {
            try {
                listener.received(nanos);
            } catch (RuntimeException e) {
                failed(e);
            }
        }

        private void failed(RuntimeException e) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("flow-pubsub: the LatencyListener {} threw; it is ignored from now on when it throws "
                        + "(logged once)", listener, e);
            }
        }
    }
}
