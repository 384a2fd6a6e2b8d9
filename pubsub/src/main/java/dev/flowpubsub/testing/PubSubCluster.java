package dev.flowpubsub.testing;

import com.github.mvysny.fakeservlet.FakeServletConfig;
import com.github.mvysny.kaributesting.v10.mock.MockVaadinHelper;
import com.vaadin.flow.server.VaadinServlet;
import com.vaadin.flow.signals.shared.SharedNodeSignal;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.support.Arguments;
import jakarta.servlet.ServletException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Several servers of one application in one JVM, for a Karibu test: each node has its own Vaadin servlet and service
 * and a hub, and the hubs talk through an in-memory engine that keeps the real engines' promises (one order per sender
 * for messages, one order for shared signals, history, presence, epochs, snapshots).
 *
 * <pre>{@code
 * try (PubSubCluster cluster = PubSubTesting.cluster(2, new Routes().autoDiscoverViews("com.example.chat"))) {
 *     ClusterPage ann = cluster.node("a").open("chat");
 *     ClusterPage bob = cluster.node("b").open("chat");
 *     ann.run(() -> { _setValue(_get(TextField.class), "hi"); _click(_get(Button.class)); });
 *     cluster.deliverPending();
 *     bob.run(() -> assertEquals("hi", _get(MessageList.class).getItems().getLast().getText()));
 * }
 * }</pre>
 *
 * <p><b>Deterministic.</b> Nothing moves between nodes on its own: the nodes run no reader threads, and pages' sessions
 * stay locked by their own threads. {@link #deliverPending()} moves everything in flight, on every node, until nothing
 * is left. Faults are methods: {@link #partition}, {@link #kill} and {@link #restart}, {@link #delayReader},
 * {@link #loseEngine} and {@link #engineBack}, {@link #retainMessages}. Anything random in a test should come from
 * {@link #random()}, whose {@link #seed()} is in {@link #toString()} and in every failure this class throws.
 *
 * <p>Thread-safe; meant to be driven from the test's thread.
 */
public final class PubSubCluster implements AutoCloseable {

    /**
     * The presence heartbeat of the cluster's hubs, and the one a {@link NodeFactory} should give its own: none within
     * a test's time, so that no timer sends anything between two {@link #deliverPending()} calls. A node's death is
     * told by the engine instead, at once ({@link #kill}).
     */
    public static final Duration HEARTBEAT = Duration.ofDays(1);

    private static final int MAX_ROUNDS = 10_000;
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(10);

    /** Makes the servlet of one node. */
    @FunctionalInterface
    public interface NodeFactory {
        /**
         * Starts node {@code name}: a Vaadin servlet whose hub has node id {@code name} and uses {@code transport}
         * (install it from the servlet's service, or make it a Spring bean of the node's context), and presence
         * heartbeat {@link #HEARTBEAT}, so that nothing moves between deliveries. The cluster
         * initializes the servlet if it is not, and destroys it when the node stops; close what else the node owns
         * (a Spring context) from a service destroy listener.
         */
        VaadinServlet start(String name, Transport transport);
    }

    private final long seed;
    private final InMemoryEngine engine;
    private final InMemoryTransport.Bus bus;
    private final NodeFactory factory;
    /** The nodes by name; a restart replaces one. In the order named ({@code order}). */
    private final Map<String, ClusterNode> nodes = new ConcurrentHashMap<>();
    private final List<String> order;
    private volatile boolean closed;

    PubSubCluster(PubSubClusterBuilder builder) {
        this.seed = builder.seed;
        this.engine = InMemoryEngine.stepped(seed);
        this.bus = InMemoryTransport.Bus.stepped(engine);
        this.factory = builder.factory;
        this.order = builder.names;
        try {
            for (String name : builder.names) {
                nodes.put(name, startNode(name));
            }
            deliverPending(); // the nodes meet: presence states are exchanged
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
    }

    /** A builder of a cluster: two nodes {@code "a"} and {@code "b"} unless told otherwise. */
    public static PubSubClusterBuilder builder() {
        return new PubSubClusterBuilder();
    }

    private ClusterNode startNode(String name) {
        InMemoryTransport transport = bus.newTransport(name);
        VaadinServlet servlet = factory.start(name, transport);
        if (servlet.getService() == null) {
            try {
                servlet.init(new FakeServletConfig(MockVaadinHelper.INSTANCE.createMockContext()));
            } catch (ServletException e) {
                throw new IllegalStateException("node " + name + "'s servlet did not start: " + e.getMessage(), e);
            }
        }
        ClusterNode node = new ClusterNode(name, servlet, transport);
        String id = node.hubAnyway().nodeId().orElse(null);
        if (!name.equals(id)) { // a factory's hub off the cluster would pass no message, and say nothing
            node.kill();
            throw new IllegalStateException("node " + name + "'s hub has node id " + id + ", not " + name + ": the "
                    + "node factory must build it on the transport it is given, with the node's name as its id");
        }
        return node;
    }

    /**
     * Node {@code name}, as it runs now (after a {@link #restart}, the new one).
     *
     * @throws IllegalArgumentException if the cluster has no node of that name
     */
    public ClusterNode node(String name) {
        ClusterNode node = nodes.get(Arguments.notNull(name, "name"));
        if (node == null) {
            throw new IllegalArgumentException("no node " + name + " in this cluster; its nodes are " + names());
        }
        return node;
    }

    /** The nodes, in the order they were named. */
    public List<ClusterNode> nodes() {
        return order.stream().map(nodes::get).filter(Objects::nonNull).toList();
    }

    private List<String> names() {
        return order;
    }

    /**
     * Moves everything in flight until nothing is left: the engine's messages and shared signal entries to every node,
     * each hub's fan-out, and each page's waiting deliveries (which may send again), round after round, on the
     * calling thread and the pages' threads.
     *
     * @throws IllegalStateException if a hub stays busy for 10 seconds (a handler blocked) or the cluster does not
     *                               settle (pages that answer each other forever); the message has the seed
     */
    public void deliverPending() {
        ensureOpen();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            for (ClusterNode node : running()) {
                awaitIdle(node); // what the nodes send is with the engine
            }
            boolean progress = engine.deliverPending();
            for (ClusterNode node : running()) {
                awaitIdle(node); // what they received is with their pages
            }
            for (ClusterNode node : running()) {
                progress |= node.runPending();
            }
            if (!progress) {
                return;
            }
        }
        throw new IllegalStateException("the cluster did not settle within " + MAX_ROUNDS + " rounds: " + this);
    }

    private void awaitIdle(ClusterNode node) {
        try {
            if (!node.hubAnyway().awaitIdle(IDLE_TIMEOUT)) {
                throw new IllegalStateException("node " + node.name() + " was still delivering after " + IDLE_TIMEOUT
                        + " (a handler blocked?): " + node.hubAnyway().stats() + "; " + this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while node " + node.name() + " delivered", e);
        }
    }

    private List<ClusterNode> running() {
        return nodes().stream().filter(ClusterNode::isRunning).toList();
    }

    /* --- Faults --- */

    /** Cuts node {@code name} off from the engine: it reads nothing, buffers its messages, its signal writes fail. */
    public void partition(String name) {
        ensureOpen();
        node(name);
        bus.partition(name);
        engine.partition(name);
    }

    /** Connects node {@code name} again: it sends what it buffered and catches up (at the next delivery). */
    public void heal(String name) {
        ensureOpen();
        node(name);
        bus.heal(name);
        engine.heal(name);
    }

    /** Node {@code name} reads nothing new, messages or signal entries, until {@link #releaseReader}; it still sends. */
    public void delayReader(String name) {
        ensureOpen();
        node(name);
        bus.delayReader(name);
        engine.delayReader(name);
    }

    /** Node {@code name} reads again, from where it was. */
    public void releaseReader(String name) {
        ensureOpen();
        node(name);
        bus.releaseReader(name);
        engine.releaseReader(name);
    }

    /** The engine is lost to every node: messages are buffered, signal writes refused, until {@link #engineBack}. */
    public void loseEngine() {
        ensureOpen();
        bus.stop();
        engine.lose();
    }

    /**
     * The engine is back: {@code intact}, with all it kept; or empty, with no history and a new epoch for shared
     * signals (each node writes its state again), as a Redis without persistence after a restart.
     */
    public void engineBack(boolean intact) {
        ensureOpen();
        engine.back(intact);
        if (intact) {
            bus.start();
        } else {
            bus.startEmpty();
        }
    }

    /**
     * The engine keeps only the newest {@code messages} messages (0: all, the default): history holds no more, and a
     * node whose reader is delayed past them misses the rest (its hub counts them in {@code stats()}).
     */
    public void retainMessages(int messages) {
        ensureOpen();
        bus.retain(messages);
    }

    /**
     * Node {@code name} dies: its pages vanish without detaching, its hub says no goodbye; the engine tells the other
     * nodes, which drop what it had present at their next delivery. Its shared-signal owners are cleared by them.
     */
    public void kill(String name) {
        ensureOpen();
        node(name).kill();
    }

    /** Node {@code name} shuts down in order: its pages close and its presence leaves, then its hub closes. */
    public void stop(String name) {
        ensureOpen();
        node(name).stop();
    }

    /**
     * Starts node {@code name} again, after {@link #kill} or {@link #stop}, with the same id and a new start epoch:
     * the other nodes see it restarted. Its pages are gone; open new ones on the node this returns.
     *
     * @throws IllegalStateException if the node is running
     */
    public ClusterNode restart(String name) {
        ensureOpen();
        if (node(name).isRunning()) {
            throw new IllegalStateException("node " + name + " is running: kill(\"" + name + "\") or stop(\"" + name
                    + "\") it first");
        }
        ClusterNode restarted = startNode(name);
        nodes.put(name, restarted);
        deliverPending();
        return restarted;
    }

    /* --- Shared signals --- */

    /**
     * The confirmed state of shared signal {@code signal} on node {@code node}, as text: each value, and each child
     * in order, as every node applies them. Equal texts, equal trees.
     */
    public String signalTree(String node, String signal) {
        Arguments.nonBlank(signal, "signal");
        SharedNodeSignal root = node(node).hub().signals().readOnly(signal);
        deliverPending(); // loads the name, on a node that had not held it
        StringBuilder text = new StringBuilder();
        SignalTreeText.append(text, root, "");
        return text.toString();
    }

    /**
     * Checks that every running node holds shared signal {@code signal} in the same confirmed state.
     *
     * @throws AssertionError naming the nodes that differ, with both states, and the seed
     */
    public void assertSignalTreesEqual(String signal) {
        List<ClusterNode> running = running();
        if (running.isEmpty()) {
            throw new IllegalStateException("no node is running: " + this);
        }
        String first = signalTree(running.get(0).name(), signal);
        for (ClusterNode other : running.subList(1, running.size())) {
            String tree = signalTree(other.name(), signal);
            if (!tree.equals(first)) {
                throw new AssertionError("shared signal '" + signal + "' differs between node "
                        + running.get(0).name() + ":\n" + first + "and node " + other.name() + ":\n" + tree + this);
            }
        }
    }

    /* --- Seeds and the engine --- */

    /** The seed of {@link #random()}. */
    public long seed() {
        return seed;
    }

    /** Random choices for a test, from {@link #seed()}: the same seed, the same choices. */
    public Random random() {
        return engine.random();
    }

    /** The in-memory engine of shared signals, for faults this class does not name (lost append answers). */
    public InMemoryEngine engine() {
        return engine;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this cluster is closed: " + this);
        }
    }

    /** Stops every node (in order). Idempotent; the cluster refuses calls that would run or change nodes after it. */
    @Override
    public void close() {
        closed = true;
        RuntimeException first = null;
        for (ClusterNode node : nodes()) {
            try {
                node.stop();
            } catch (RuntimeException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return "PubSubCluster[seed=" + seed + " (rerun: PubSubCluster.builder().seed(" + seed + "L)), nodes="
                + nodes() + ", " + engine + "]";
    }
}
