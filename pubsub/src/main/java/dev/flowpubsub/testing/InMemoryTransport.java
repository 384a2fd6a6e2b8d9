package dev.flowpubsub.testing;

import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.TransportHealth;
import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.Nullable;

import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link Transport} between hubs in one JVM: several "nodes" in one test, no engine to run. It behaves like a
 * log-based engine (a Redis stream): envelopes are appended to a shared log that each node reads from its own
 * position, so a node cut off from the {@link Bus} catches up, in order, when it reconnects, unless what
 * it missed is past the bus's retention.
 *
 * <pre>{@code
 * InMemoryTransport.Bus bus = new InMemoryTransport.Bus();
 * PubSubHub nodeA = PubSubHub.builder().transport(bus.newTransport()).build();
 * PubSubHub nodeB = PubSubHub.builder().transport(bus.newTransport()).build();
 * }</pre>
 *
 * <p>Thread-safe. On a threaded bus each node reads on a virtual thread of its own; on a {@linkplain Bus#stepped
 * stepped} one it reads only when the bus is stepped, on the stepping thread.
 */
public final class InMemoryTransport implements Transport {

    /** The shared log: the "engine" that in-memory transports talk through, with faults a test aims at it. */
    public static final class Bus {

        final InMemoryBus core;

        /** A bus that carries messages only; each node reads on a thread of its own. */
        public Bus() {
            this.core = new InMemoryBus(null, false);
        }

        /** A bus that carries messages, and shared signals through {@code signals}; each node reads on a thread. */
        public Bus(InMemoryEngine signals) {
            this.core = new InMemoryBus(Arguments.notNull(signals, "signals"), false);
        }

        private Bus(InMemoryBus core) {
            this.core = core;
        }

        /**
         * A bus whose nodes run no reader threads: messages, like shared signals, move only when {@code signals} is
         * stepped ({@link InMemoryEngine#deliverPending()}), on the caller's thread.
         *
         * @throws IllegalArgumentException if {@code signals} is not {@linkplain InMemoryEngine#stepped stepped}
         */
        public static Bus stepped(InMemoryEngine signals) {
            Arguments.notNull(signals, "signals");
            if (!signals.isStepped()) {
                throw new IllegalArgumentException("a stepped bus needs a stepped engine: InMemoryEngine.stepped(seed)");
            }
            Bus bus = new Bus(new InMemoryBus(signals, true));
            signals.addLastStep(bus.core::step);
            return bus;
        }

        /** A transport for one more node on this bus, named {@code node-1}, {@code node-2}, ... */
        public InMemoryTransport newTransport() {
            return newTransport(core.nextName());
        }

        /**
         * A transport for node {@code node} on this bus: its shared signals go through the bus's engine as that node
         * (faults aimed at the name hit it), so a node restarted with the same name is the same node to the engine.
         */
        public InMemoryTransport newTransport(String node) {
            Arguments.nonBlank(node, "node");
            InMemoryEngine signals = core.signals;
            return new InMemoryTransport(core, node, signals == null ? null : signals.signalLog(node));
        }

        /** Makes the engine unreachable for every node, as when a Redis server stops; publishes are buffered. */
        public void stop() {
            core.down(true);
        }

        /** Makes the engine reachable again: nodes flush what they buffered and read what they missed. */
        public void start() {
            core.down(false);
        }

        /** The engine comes back without what it kept (no history); nodes flush what they buffered and go on. */
        public void startEmpty() {
            core.emptied();
            core.down(false);
        }

        /** Cuts node {@code node} off: it reads nothing and buffers what it publishes, until {@link #heal}. */
        public void partition(String node) {
            core.partition(Arguments.nonBlank(node, "node"), true);
        }

        /** Connects node {@code node} again: it sends what it buffered and reads what it missed. */
        public void heal(String node) {
            core.partition(Arguments.nonBlank(node, "node"), false);
        }

        /** Node {@code node} reads nothing new until {@link #releaseReader}; what it publishes goes. */
        public void delayReader(String node) {
            core.delay(Arguments.nonBlank(node, "node"), true);
        }

        /** Node {@code node} reads again, from where it was. */
        public void releaseReader(String node) {
            core.delay(Arguments.nonBlank(node, "node"), false);
        }

        /**
         * Keeps only the newest {@code envelopes} (0: all, the default), as a Redis stream's {@code MAXLEN} does: a node
         * that falls further behind misses the rest, and history reads find only what is kept.
         */
        public void retain(int envelopes) {
            if (envelopes < 0) {
                throw new IllegalArgumentException("envelopes must be 0 (keep all) or more (got " + envelopes + ")");
            }
            core.retain(envelopes);
        }

        /** Envelopes kept now, for tests. */
        public int size() {
            return core.size();
        }
    }

    private final InMemoryBus bus;
    private final String name;
    private final ArrayDeque<TransportEnvelope> outbox = new ArrayDeque<>();
    private final ReentrantLock outboxLock = new ReentrantLock();
    /** A node the bus says is gone, once this node has read up to {@code at}: what the dead one sent first. */
    private record Gone(String nodeId, long at) {
    }

    /** Nodes gone, for this node's hub to hear on its reading thread once it has read that far. */
    private final ConcurrentLinkedQueue<Gone> gone = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;
    private volatile boolean killed;
    private @Nullable Thread reader;
    private volatile @Nullable TransportContext context;
    /** The absolute position of the next envelope to read. Written by the reading thread; the bus reads it to trim. */
    private volatile long position;
    /** Set by the bus when it dropped another node's envelope this node had not read. */
    private final java.util.concurrent.atomic.AtomicBoolean missed = new java.util.concurrent.atomic.AtomicBoolean();
    /** How far the reader has handed envelopes to the hub: what a history read reaches up to. */
    private volatile long handedOver;

    private final @Nullable SignalLog signalLog;

    private InMemoryTransport(InMemoryBus bus, String name, @Nullable SignalLog signalLog) {
        this.bus = bus;
        this.name = name;
        this.signalLog = signalLog;
    }

    /** The node's name on its bus: what partitions and delays are aimed at. */
    public String node() {
        return name;
    }

    @Override
    public Optional<SignalLog> signalLog() {
        return Optional.ofNullable(signalLog);
    }

    @Override
    public void start(TransportContext context) {
        Arguments.notNull(context, "context");
        this.context = context;
        position = bus.register(this);
        handedOver = position;
        if (!bus.stepped) {
            reader = Thread.ofVirtual().name("in-memory-transport-" + context.nodeId())
                    .inheritInheritableThreadLocals(false).start(this::read);
        }
    }

    /** This start's node id, as the hub gave it (null before {@link #start}). */
    @Nullable String nodeId() {
        TransportContext started = context;
        return started == null ? null : started.nodeId();
    }

    private void read() {
        try {
            while (!closed && !killed) {
                bus.awaitNews(this, position);
                step();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Flushes what waits, hands over what the log has for this node, and the news of nodes gone; did anything? */
    boolean step() {
        TransportContext started = context;
        if (started == null || closed || killed) {
            return false;
        }
        boolean progress = flushOutbox();
        InMemoryBus.Read read = bus.read(this, position);
        long at = read.from(); // past this node's position when what it had not read was trimmed or lost
        for (TransportEnvelope envelope : read.envelopes()) {
            started.receive(envelope);
            at++;
            position = at;
            handedOver = at;
            progress = true;
        }
        if (at > position) {
            position = at;
            handedOver = at;
        }
        if (missed.get() && bus.canRead(this) && missed.getAndSet(false)) { // asked once it can read the answers
            started.entriesMissed();
            progress = true;
        }
        return hearOfTheDead(started) || progress;
    }

    /** Tells the hub of the nodes gone that this node has read up to, while it can read. */
    private boolean hearOfTheDead(TransportContext started) {
        boolean any = false;
        for (Gone dead = gone.peek(); dead != null && dead.at() <= position && bus.canRead(this); dead = gone.peek()) {
            gone.poll();
            started.nodeGone(dead.nodeId());
            any = true;
        }
        return any;
    }

    /** Where this node reads next. */
    long position() {
        return position;
    }

    /** The bus dropped another node's envelope this node had not read. */
    void missedEntries() {
        missed.set(true);
    }

    /** The bus says {@code nodeId} is gone, once this node has read up to {@code at}. */
    void gone(String nodeId, long at) {
        gone.add(new Gone(nodeId, at));
    }

    @Override
    public void publish(TransportEnvelope envelope) {
        if (killed) {
            return; // a dead node sends nothing
        }
        outboxLock.lock();
        try {
            if (outbox.isEmpty() && bus.append(this, envelope)) {
                return;
            }
            outbox.addLast(envelope); // the engine is down or this node cut off: kept, in order, until it is back
        } finally {
            outboxLock.unlock();
        }
    }

    private boolean flushOutbox() {
        outboxLock.lock();
        try {
            boolean any = false;
            while (!outbox.isEmpty() && bus.append(this, outbox.peekFirst())) {
                outbox.pollFirst();
                any = true;
            }
            return any;
        } finally {
            outboxLock.unlock();
        }
    }

    @Override
    public CompletionStage<List<TransportEnvelope>> history(String topic, int limit) {
        try {
            return CompletableFuture.completedFuture(bus.lastBefore(this, handedOver, topic, limit));
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
        return closed || killed || !bus.reachable(this) ? TransportHealth.down(details) : TransportHealth.up(details);
    }

    /**
     * The node dies: it sends and reads nothing more and says no goodbye; the bus tells the other nodes that it is gone
     * (an engine that tracks its clients would), so they drop what it had present. Its shared signal log is closed.
     */
    void kill() {
        killed = true;
        outboxLock.lock();
        try {
            outbox.clear();
        } finally {
            outboxLock.unlock();
        }
        bus.died(this);
        close();
    }

    @Override
    public void close() {
        closed = true;
        if (signalLog != null) {
            signalLog.close();
        }
        bus.left(this);
        Thread thread = reader;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "InMemoryTransport[" + name + (killed ? ", killed" : closed ? ", closed" : "") + "]";
    }
}
