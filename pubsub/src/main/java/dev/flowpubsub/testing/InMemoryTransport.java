package dev.flowpubsub.testing;

import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.TransportHealth;
import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Transport} between hubs in one JVM: several "nodes" in one test, no engine to run. It behaves like a
 * log-based engine (a Redis stream): envelopes are appended to a shared log that each node reads from its own
 * position, so a node cut off from the {@link Bus} catches up, in order, when it reconnects.
 *
 * <pre>{@code
 * InMemoryTransport.Bus bus = new InMemoryTransport.Bus();
 * PubSubHub nodeA = PubSubHub.builder().transport(bus.newTransport()).build();
 * PubSubHub nodeB = PubSubHub.builder().transport(bus.newTransport()).build();
 * }</pre>
 *
 * <p>Thread-safe. Each node reads on a virtual thread of its own.
 */
public final class InMemoryTransport implements Transport {

    /** The shared log: the "engine" that in-memory transports talk through. */
    public static final class Bus {

        private final List<TransportEnvelope> log = new ArrayList<>();
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition changed = lock.newCondition();
        private boolean down;
        private final @Nullable InMemoryEngine signals;
        private int nodes;

        /** A bus that carries messages only. */
        public Bus() {
            this.signals = null;
        }

        /** A bus that carries messages, and shared signals through {@code signals}. */
        public Bus(InMemoryEngine signals) {
            this.signals = Arguments.notNull(signals, "signals");
        }

        /** A transport for one more node on this bus. */
        public InMemoryTransport newTransport() {
            lock.lock();
            try {
                return newTransport("node-" + ++nodes);
            } finally {
                lock.unlock();
            }
        }

        /**
         * A transport for node {@code node} on this bus: its shared signals go through the bus's engine as that node
         * (faults aimed at the name hit it), so a node restarted with the same name is the same node to the engine.
         */
        public InMemoryTransport newTransport(String node) {
            return new InMemoryTransport(this, signals == null ? null : signals.signalLog(node));
        }

        /** Makes the engine unreachable for every node, as when a Redis server stops; publishes are buffered. */
        public void stop() {
            lock.lock();
            try {
                down = true;
            } finally {
                lock.unlock();
            }
        }

        /** Makes the engine reachable again: nodes flush what they buffered and read what they missed. */
        public void start() {
            lock.lock();
            try {
                down = false;
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }

        /** Envelopes appended so far, for tests. */
        public int size() {
            lock.lock();
            try {
                return log.size();
            } finally {
                lock.unlock();
            }
        }

        boolean append(TransportEnvelope envelope) {
            lock.lock();
            try {
                if (down) {
                    return false;
                }
                log.add(envelope);
                changed.signalAll();
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** What was appended after {@code position}, waiting up to 50 ms for something; empty while down. */
        List<TransportEnvelope> awaitAfter(int position, InMemoryTransport reader) throws InterruptedException {
            lock.lock();
            try {
                long left = TimeUnit.MILLISECONDS.toNanos(50);
                while (!reader.closed && (down || log.size() <= position) && left > 0) {
                    left = changed.awaitNanos(left);
                }
                return reader.closed || down ? List.of() : List.copyOf(log.subList(position, log.size()));
            } finally {
                lock.unlock();
            }
        }

        List<TransportEnvelope> lastBefore(int end, String topic, int limit) {
            lock.lock();
            try {
                if (down) {
                    throw new IllegalStateException("the in-memory engine is stopped");
                }
                ArrayDeque<TransportEnvelope> last = new ArrayDeque<>(limit);
                for (TransportEnvelope envelope : log.subList(0, Math.min(end, log.size()))) {
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

        boolean isDown() {
            lock.lock();
            try {
                return down;
            } finally {
                lock.unlock();
            }
        }

        private void wake() {
            lock.lock();
            try {
                changed.signalAll();
            } finally {
                lock.unlock();
            }
        }
    }

    private final Bus bus;
    private final ArrayDeque<TransportEnvelope> outbox = new ArrayDeque<>();
    private final ReentrantLock outboxLock = new ReentrantLock();
    private volatile boolean closed;
    private @Nullable Thread reader;
    /** How many log entries the reader has handed to the hub: what a history read reaches up to. */
    private volatile int handedOver;

    private final @Nullable SignalLog signalLog;

    private InMemoryTransport(Bus bus, @Nullable SignalLog signalLog) {
        this.bus = bus;
        this.signalLog = signalLog;
    }

    @Override
    public Optional<SignalLog> signalLog() {
        return Optional.ofNullable(signalLog);
    }

    @Override
    public void start(TransportContext context) {
        Arguments.notNull(context, "context");
        int startAt = bus.size();
        handedOver = startAt;
        reader = Thread.ofVirtual().name("in-memory-transport-" + context.nodeId()).inheritInheritableThreadLocals(false)
                .start(() -> read(context, startAt));
    }

    private void read(TransportContext context, int position) {
        try {
            while (!closed) {
                flushOutbox();
                for (TransportEnvelope envelope : bus.awaitAfter(position, this)) {
                    context.receive(envelope);
                    position++;
                    handedOver = position;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void publish(TransportEnvelope envelope) {
        outboxLock.lock();
        try {
            if (outbox.isEmpty() && bus.append(envelope)) {
                return;
            }
            outbox.addLast(envelope); // the engine is down: keep it, in order, until it is back
        } finally {
            outboxLock.unlock();
        }
    }

    private void flushOutbox() {
        outboxLock.lock();
        try {
            while (!outbox.isEmpty() && bus.append(outbox.peekFirst())) {
                outbox.pollFirst();
            }
        } finally {
            outboxLock.unlock();
        }
    }

    @Override
    public CompletionStage<List<TransportEnvelope>> history(String topic, int limit) {
        try {
            return CompletableFuture.completedFuture(bus.lastBefore(handedOver, topic, limit));
        } catch (IllegalStateException down) {
            return CompletableFuture.failedFuture(down);
        }
    }

    @Override
    public TransportHealth health() {
        int buffered;
        outboxLock.lock();
        try {
            buffered = outbox.size();
        } finally {
            outboxLock.unlock();
        }
        Map<String, Object> details = Map.of("engine", "in-memory", "buffered", buffered);
        return closed || bus.isDown() ? TransportHealth.down(details) : TransportHealth.up(details);
    }

    @Override
    public void close() {
        closed = true;
        if (signalLog != null) {
            signalLog.close();
        }
        bus.wake();
        if (reader != null) {
            reader.interrupt();
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
