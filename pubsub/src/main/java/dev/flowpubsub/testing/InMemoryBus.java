package dev.flowpubsub.testing;

import dev.flowpubsub.spi.TransportEnvelope;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The message log behind {@link InMemoryTransport.Bus}: envelopes at absolute positions, a retention that trims the
 * oldest, and the faults a test aims at it (the engine down or lost, a node cut off or reading late, a node killed).
 *
 * <p>Thread-safe: one lock guards the state. Transports call it from their reading thread or the stepping thread.
 */
final class InMemoryBus {

    /** What a node reads: {@code envelopes}, the first at absolute position {@code from}. */
    record Read(long from, List<TransportEnvelope> envelopes) {
    }

    final @Nullable InMemoryEngine signals;
    final boolean stepped;
    private final Guard guard = new Guard();
    private final ReentrantLock lock = guard.lock;
    private final Condition changed = guard.changed;
    private final List<TransportEnvelope> log = new ArrayList<>();
    private final List<InMemoryTransport> transports = new ArrayList<>();
    private final Set<String> partitioned = new HashSet<>();
    private final Set<String> delayed = new HashSet<>();
    /** How many envelopes were trimmed off the front: the absolute position of {@code log.get(0)}. */
    private long trimmed;
    private int retention;
    private boolean down;
    private int names;

    InMemoryBus(@Nullable InMemoryEngine signals, boolean stepped) {
        this.signals = signals;
        this.stepped = stepped;
    }

    String nextName() {
        return guard.locked(() -> "node-" + ++names);
    }

    /** A transport starts: it reads from the log's head on. */
    long register(InMemoryTransport transport) {
        return guard.locked(() -> {
            transports.add(transport);
            return trimmed + log.size();
        });
    }

    /** Appends, unless the engine is down or the node cut off (it keeps the envelope and tries again). */
    boolean append(InMemoryTransport from, TransportEnvelope envelope) {
        lock.lock();
        try {
            if (down || partitioned.contains(from.node())) {
                return false;
            }
            log.add(envelope);
            if (retention > 0 && log.size() > retention) {
                dropOldest(log.size() - retention);
            }
            changed.signalAll();
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** What {@code reader} may read from absolute position {@code position} on: nothing while it cannot read. */
    Read read(InMemoryTransport reader, long position) {
        lock.lock();
        try {
            if (down || partitioned.contains(reader.node()) || delayed.contains(reader.node())) {
                return new Read(position, List.of());
            }
            long from = Math.max(position, trimmed);
            int index = (int) (from - trimmed);
            return new Read(from, index >= log.size() ? List.of() : List.copyOf(log.subList(index, log.size())));
        } finally {
            lock.unlock();
        }
    }

    /** Waits up to 50 ms for something {@code reader} may read past {@code position}. A threaded reader only. */
    void awaitNews(InMemoryTransport reader, long position) throws InterruptedException {
        lock.lock();
        try {
            long left = TimeUnit.MILLISECONDS.toNanos(50);
            while (!reader.isClosed() && left > 0 && (down || partitioned.contains(reader.node())
                    || delayed.contains(reader.node()) || trimmed + log.size() <= position)) {
                left = changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The newest {@code limit} envelopes on {@code topic} before absolute position {@code end} that are kept. */
    List<TransportEnvelope> lastBefore(InMemoryTransport reader, long end, String topic, int limit) {
        lock.lock();
        try {
            if (down || partitioned.contains(reader.node())) {
                throw new IllegalStateException("the in-memory engine cannot be reached by " + reader.node());
            }
            ArrayDeque<TransportEnvelope> last = new ArrayDeque<>(limit);
            long upTo = Math.min(end, trimmed + log.size());
            for (long at = trimmed; at < upTo; at++) {
                TransportEnvelope envelope = log.get((int) (at - trimmed));
                if (topic.equals(envelope.topic())) {
                    if (last.size() == limit) {
                        last.pollFirst();
                    }
                    last.addLast(envelope);
                }
            }
            return List.copyOf(last);
        } finally {
            lock.unlock();
        }
    }

    boolean reachable(InMemoryTransport transport) {
        return guard.locked(() -> !down && !partitioned.contains(transport.node()));
    }

    /**
     * A node died: the others hear that it is gone once they have read what it sent before it died (its last joins
     * first, then its death), as an engine that tracks its clients would tell them in its order.
     */
    void died(InMemoryTransport dead) {
        String nodeId = dead.nodeId();
        lock.lock();
        try {
            transports.remove(dead);
            long at = trimmed + log.size();
            if (nodeId != null) {
                transports.forEach(other -> other.gone(nodeId, at));
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@code reader} can read now: the engine up, it neither cut off nor delayed. */
    boolean canRead(InMemoryTransport reader) {
        return guard.locked(() -> !down && !partitioned.contains(reader.node()) && !delayed.contains(reader.node()));
    }

    /** A node closed. */
    void left(InMemoryTransport transport) {
        guard.locked(() -> transports.remove(transport));
        wake();
    }

    /** Steps every started transport once; did any do something? The stepping thread. */
    boolean step() {
        boolean progress = false;
        for (InMemoryTransport transport : guard.locked(() -> List.copyOf(transports))) {
            progress |= transport.step();
        }
        return progress;
    }

    int size() {
        return guard.locked(log::size);
    }

    void down(boolean isDown) {
        guard.update(() -> down = isDown);
    }

    /** The engine restarted empty: what it kept is gone; positions go on, so nodes read what comes next. */
    void emptied() {
        guard.update(() -> dropOldest(log.size()));
    }

    void retain(int envelopes) {
        guard.update(() -> {
            retention = envelopes;
            if (envelopes > 0 && log.size() > envelopes) {
                dropOldest(log.size() - envelopes);
            }
        });
    }

    void partition(String node, boolean cut) {
        guard.update(() -> {
            if (cut) {
                partitioned.add(node);
            } else {
                partitioned.remove(node);
            }
        });
    }

    void delay(String node, boolean late) {
        guard.update(() -> {
            if (late) {
                delayed.add(node);
            } else {
                delayed.remove(node);
            }
        });
    }

    /**
     * Drops the {@code drop} oldest envelopes; a node that had not read one of another node's among them is told it
     * missed entries (its own, which it applied when it sent them, it has not missed). Under the lock.
     */
    private void dropOldest(int drop) {
        long upTo = trimmed + drop;
        for (InMemoryTransport reader : transports) {
            String self = reader.nodeId();
            for (long at = Math.max(reader.position(), trimmed); at < upTo; at++) {
                if (!log.get((int) (at - trimmed)).originNode().equals(self)) {
                    reader.missedEntries();
                    break;
                }
            }
        }
        log.subList(0, drop).clear();
        trimmed = upTo;
    }

    private void wake() {
        guard.update(() -> { });
    }
}
