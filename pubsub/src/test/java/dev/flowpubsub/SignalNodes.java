package dev.flowpubsub;

import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.Node;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testing.InMemoryEngine;
import dev.flowpubsub.testing.InMemoryTransport;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Hubs ("nodes") on one {@link InMemoryEngine}, stepped unless asked otherwise, for the shared-signal tests: open
 * nodes by name, kill and restart them with the same name, step the cluster, and compare what nodes hold. Prints the
 * engine's seed when a test fails; closes every node after each test.
 *
 * <pre>{@code @RegisterExtension final SignalNodes nodes = SignalNodes.stepped(42);}</pre>
 */
final class SignalNodes implements AfterEachCallback, TestWatcher {

    final InMemoryEngine engine;
    private final InMemoryTransport.Bus bus;
    private final Map<String, PubSubHub> hubs = new LinkedHashMap<>();
    private final List<VaadinApp> apps = new ArrayList<>();
    private UnaryOperator<SignalSettings> settings = UnaryOperator.identity();

    private final boolean stepped;

    private SignalNodes(InMemoryEngine engine, boolean stepped) {
        this.engine = engine;
        this.stepped = stepped;
        this.bus = new InMemoryTransport.Bus(engine);
    }

    static SignalNodes stepped(long seed) {
        return new SignalNodes(InMemoryEngine.stepped(seed), true);
    }

    static SignalNodes threaded() {
        return new SignalNodes(InMemoryEngine.threaded(), false);
    }

    /** Changes the signal settings of nodes started from now on. */
    SignalNodes settings(UnaryOperator<SignalSettings> change) {
        this.settings = change;
        return this;
    }

    /** The node named {@code name}, started if it is not running. */
    PubSubHub node(String name) {
        return hubs.computeIfAbsent(name, this::start);
    }

    /** The signals of node {@code name}. */
    ClusterSignals signals(String name) {
        return node(name).signals();
    }

    /** The replica of node {@code name}. */
    SignalReplica replica(String name) {
        return signals(name).replica();
    }

    private PubSubHub start(String name) {
        return builder(name).build();
    }

    /** A builder for node {@code name} on this engine, with this fixture's signal settings. */
    PubSubHubBuilder builder(String name) {
        PubSubHubBuilder builder = PubSubHub.builder().transport(bus.newTransport(name)).nodeId(name);
        builder.signalSettings = settings.apply(SignalSettings.DEFAULTS);
        return builder;
    }

    /** A transport for node {@code name} on this engine, for a node installed with {@link #install(String, VaadinApp, Transport, UnaryOperator)}. */
    Transport newTransport(String name) {
        return bus.newTransport(name);
    }

    /** A Vaadin application of its own whose hub is node {@code name} on {@code transport}; both closed after the test. */
    VaadinApp app(String name, Transport transport, UnaryOperator<PubSubHubBuilder> hub) {
        VaadinApp app = new VaadinApp();
        apps.add(app);
        install(name, app, transport, hub);
        return app;
    }

    /** Node {@code name} on {@code transport} as the hub of a Vaadin application; closed after the test. */
    PubSubHub install(String name, VaadinApp app, Transport transport, UnaryOperator<PubSubHubBuilder> hub) {
        PubSubHubBuilder builder = PubSubHub.builder().transport(transport).nodeId(name);
        builder.signalSettings = settings.apply(SignalSettings.DEFAULTS);
        PubSubHub installed = hub.apply(builder).install(app.service);
        hubs.put(name, installed);
        return installed;
    }

    /** Node {@code name} as the hub of a Vaadin application, built by {@code hub}; closed after the test. */
    PubSubHub install(String name, VaadinApp app, UnaryOperator<PubSubHubBuilder> hub) {
        PubSubHub installed = hub.apply(builder(name)).install(app.service);
        hubs.put(name, installed);
        return installed;
    }

    /** Kills node {@code name}: its hub closes, as when its process dies (nothing it did not write is kept). */
    void kill(String name) {
        PubSubHub hub = hubs.remove(name);
        if (hub != null) {
            hub.close();
        }
    }

    /** Runs everything in flight on every node until nothing is left. */
    void deliver() {
        engine.deliverPending();
    }

    /** What node {@code name} holds confirmed for {@code signal}. */
    Map<Id, Node> confirmed(String name, String signal) {
        ClusterSignalTree tree = signals(name).replica().tree(signal);
        if (stepped) {
            engine.deliverPending(); // a tree no signal held was let go: made again here, it loads at the next step
        }
        return tree.confirmed().nodes();
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        System.err.println(context.getDisplayName() + " failed on " + engine);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            apps.forEach(VaadinApp::close); // fails the test if a session's error handler got anything
        } finally {
            apps.clear();
            hubs.values().forEach(PubSubHub::close);
            hubs.clear();
        }
    }
}
