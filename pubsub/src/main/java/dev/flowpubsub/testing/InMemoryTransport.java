package dev.flowpubsub.testing;

import dev.flowpubsub.internal.Arguments;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.TransportHealth;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
        private boolean down;

        /** A transport for one more node on this bus. */
        public InMemoryTransport newTransport() {
            return new InMemoryTransport(this);
        }

        /** Makes the engine unreachable for every node, as when a Redis server stops; publishes are buffered. */
        public synchronized void stop() {
            down = true;
        }

        /** Makes the engine reachable again: nodes flush what they buffered and read what they missed. */
        public synchronized void start() {
            down = false;
            notifyAll();
        }

        /** Envelopes appended so far, for tests. */
        public synchronized int size() {
            return log.size();
        }

        synchronized boolean append(TransportEnvelope envelope) {
            if (down) {
                return false;
            }
            log.add(envelope);
            notifyAll();
            return true;
        }

        /** What was appended after {@code position}, waiting up to 50 ms for something; empty while down. */
        synchronized List<TransportEnvelope> awaitAfter(int position, InMemoryTransport reader) throws InterruptedException {
            if (!reader.closed && (down || log.size() <= position)) {
                wait(50);
            }
            return reader.closed || down ? List.of() : List.copyOf(log.subList(position, log.size()));
        }

        synchronized List<TransportEnvelope> lastBefore(int end, String topic, int limit) {
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
        }

        synchronized boolean isDown() {
            return down;
        }

        private synchronized void wake() {
            notifyAll();
        }
    }

    private final Bus bus;
    private final ArrayDeque<TransportEnvelope> outbox = new ArrayDeque<>();
    private volatile boolean closed;
    private Thread reader;
    private volatile int startedAt;

    private InMemoryTransport(Bus bus) {
        this.bus = bus;
    }

    @Override
    public void start(TransportContext context) {
        Arguments.notNull(context, "context");
        int startAt = bus.size();
        startedAt = startAt;
        reader = Thread.ofVirtual().name("in-memory-transport-" + context.nodeId()).start(() -> read(context, startAt));
    }

    private void read(TransportContext context, int position) {
        try {
            while (!closed) {
                flushOutbox();
                for (TransportEnvelope envelope : bus.awaitAfter(position, this)) {
                    context.receive(envelope);
                    position++;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void publish(TransportEnvelope envelope) {
        synchronized (outbox) {
            if (outbox.isEmpty() && bus.append(envelope)) {
                return;
            }
            outbox.addLast(envelope); // the engine is down: keep it, in order, until it is back
        }
    }

    private void flushOutbox() {
        synchronized (outbox) {
            while (!outbox.isEmpty() && bus.append(outbox.peekFirst())) {
                outbox.pollFirst();
            }
        }
    }

    @Override
    public List<TransportEnvelope> history(String topic, int limit) {
        return bus.lastBefore(startedAt, topic, limit);
    }

    @Override
    public TransportHealth health() {
        int buffered;
        synchronized (outbox) {
            buffered = outbox.size();
        }
        Map<String, Object> details = Map.of("engine", "in-memory", "buffered", buffered);
        return closed || bus.isDown() ? TransportHealth.down(details) : TransportHealth.up(details);
    }

    @Override
    public void close() {
        closed = true;
        bus.wake();
        if (reader != null) {
            try {
                reader.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
