package dev.flowpubsub.testing;

import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.mock.MockVaadinServlet;
import com.vaadin.flow.function.DeploymentConfiguration;
import com.vaadin.flow.server.ServiceException;
import com.vaadin.flow.server.VaadinServlet;
import com.vaadin.flow.server.VaadinServletService;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubHubBuilder;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.support.Arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;

/**
 * Builds a {@link PubSubCluster}: its nodes' names, the seed of its random choices, and how each node is made (Karibu's
 * mock servlet with the application's routes and a hub configured as the application's, or a factory of the test's).
 *
 * <p>Not thread-safe: build on one thread.
 */
public final class PubSubClusterBuilder {



    List<String> names = List.of("a", "b");
    long seed = ThreadLocalRandom.current().nextLong();
    private Routes routes = new Routes();
    private UnaryOperator<PubSubHubBuilder> hub = UnaryOperator.identity();
    PubSubCluster.NodeFactory factory;

    PubSubClusterBuilder() {
        this.factory = this::karibuNode;
    }

    /** The nodes, by name (default {@code "a"} and {@code "b"}). */
    public PubSubClusterBuilder nodes(String... names) {
        if (names.length == 0) {
            throw new IllegalArgumentException("a cluster needs at least one node");
        }
        List<String> checked = new ArrayList<>();
        for (String name : names) {
            if (checked.contains(Arguments.nonBlank(name, "node name"))) {
                throw new IllegalArgumentException("two nodes are named " + name);
            }
            checked.add(name);
        }
        this.names = List.copyOf(checked);
        return this;
    }

    /** {@code count} nodes named {@code "a"}, {@code "b"}, {@code "c"}, ... (at most 26). */
    public PubSubClusterBuilder nodes(int count) {
        if (count < 1 || count > 26) {
            throw new IllegalArgumentException("a cluster of 1 to 26 nodes named a to z (got " + count + ")");
        }
        String[] named = new String[count];
        for (int i = 0; i < count; i++) {
            named[i] = String.valueOf((char) ('a' + i));
        }
        return nodes(named);
    }

    /** The seed of {@link PubSubCluster#random()}: the one a failed run printed, to run it again. */
    public PubSubClusterBuilder seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** The application's views, for Karibu's mock servlet on each node: {@code new Routes().autoDiscoverViews(...)}. */
    public PubSubClusterBuilder routes(Routes routes) {
        this.routes = Arguments.notNull(routes, "routes");
        return this;
    }

    /**
     * Configures each node's hub, as the application does ({@code builder -> builder.history(...)}); the cluster
     * sets the transport and node id. Not used with a {@link #nodeFactory}, which makes its own hubs.
     */
    public PubSubClusterBuilder hub(UnaryOperator<PubSubHubBuilder> configure) {
        this.hub = Arguments.notNull(configure, "configure");
        return this;
    }

    /** Makes each node's servlet, instead of Karibu's mock servlet with {@link #routes}: for Spring, say. */
    public PubSubClusterBuilder nodeFactory(PubSubCluster.NodeFactory factory) {
        this.factory = Arguments.notNull(factory, "factory");
        return this;
    }

    /** Starts the nodes. */
    public PubSubCluster build() {
        return new PubSubCluster(this);
    }

    private VaadinServlet karibuNode(String name, Transport transport) {
        Routes views = routes;
        UnaryOperator<PubSubHubBuilder> configure = hub;
        return new MockVaadinServlet(views) {
            @Override
            protected VaadinServletService createServletService(DeploymentConfiguration configuration)
                    throws ServiceException {
                VaadinServletService service = super.createServletService(configuration);
                // no heartbeats in a test: a node's death is told by the engine, at once (kill)
                PubSubHubBuilder builder = configure.apply(PubSubHub.builder().presenceHeartbeat(PubSubCluster.HEARTBEAT));
                PubSubHub.install(service, builder.transport(transport).nodeId(name).build(), true);
                return service;
            }
        };
    }
}
