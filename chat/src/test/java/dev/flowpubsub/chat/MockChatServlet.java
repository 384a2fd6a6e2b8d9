package dev.flowpubsub.chat;

import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.mock.MockVaadinServlet;
import com.vaadin.flow.function.DeploymentConfiguration;
import com.vaadin.flow.server.ServiceException;
import com.vaadin.flow.server.VaadinServletService;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.JsonCodec;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubHubBuilder;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testing.InMemoryTransport;
import dev.flowpubsub.testing.PubSubCluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The chat application for browserless tests: Karibu's servlet with every view of the app, and a hub that
 * keeps room history as {@code application.properties} tells the real application's hub to
 * ({@code pubsub.history.*}, read from that file), installed before any page exists. Spring is not started;
 * the hub closes when Karibu tears the application down.
 *
 * <pre>{@code MockVaadin.setup(MockedUI::new, new MockChatServlet());}</pre>
 *
 * <p>{@link #onNode} (or {@link #onTransport}, in a {@code PubSubCluster}) makes it one server of several in the test's
 * JVM, its hub on an in-memory engine shared with the others, whose messages and shared signals cross as JSON with the
 * types {@code pubsub.allowed-types} names there.
 */
final class MockChatServlet extends MockVaadinServlet {

    private static final Properties APPLICATION = applicationProperties();
    /**
     * Every view of the app, found once: a scan of the class path takes half a second, and a cluster test starts
     * several servlets. Karibu only reads it, as each servlet registers the routes.
     */
    private static final Routes VIEWS = new Routes().autoDiscoverViews("dev.flowpubsub.chat");

    private final UnaryOperator<PubSubHubBuilder> node;

    MockChatServlet() {
        this(UnaryOperator.identity());
    }

    private MockChatServlet(UnaryOperator<PubSubHubBuilder> node) {
        super(VIEWS);
        this.node = node;
    }

    /**
     * The application as the server {@code name} of several on {@code bus}, for users made with
     * {@link ChatUser#ChatUser(com.vaadin.flow.server.VaadinServlet)}; the test destroys it when done.
     */
    static MockChatServlet onNode(InMemoryTransport.Bus bus, String name) {
        return node(name, () -> bus.newTransport(name), UnaryOperator.identity());
    }

    /**
     * The application as node {@code name} of a {@link dev.flowpubsub.testing.PubSubCluster}, on the transport the
     * cluster gives it: {@code PubSubCluster.builder().nodeFactory(MockChatServlet::onTransport)}. Its hub sends no
     * presence heartbeats, as the cluster's own nodes: nothing moves between nodes but in {@code deliverPending()},
     * and a dead node is told by the engine at once.
     */
    static MockChatServlet onTransport(String name, Transport transport) {
        return node(name, () -> transport, builder -> builder.presenceHeartbeat(PubSubCluster.HEARTBEAT));
    }

    /** Node {@code name}, its transport made as its service starts. */
    private static MockChatServlet node(String name, Supplier<Transport> transport,
                                        UnaryOperator<PubSubHubBuilder> more) {
        return new MockChatServlet(builder -> more.apply(builder.transport(transport.get()).nodeId(name)
                .codec(JsonCodec.allowing(allowedTypes()))));
    }

    @Override
    protected VaadinServletService createServletService(DeploymentConfiguration configuration) throws ServiceException {
        VaadinServletService service = super.createServletService(configuration);
        PubSubHub.install(service, node.apply(PubSubHub.builder().history(history())).build(), true);
        return service;
    }

    private static HistoryPolicy history() {
        return HistoryPolicy.keep(Integer.parseInt(APPLICATION.getProperty("pubsub.history.size")),
                APPLICATION.getProperty("pubsub.history.topic-prefixes").split(","));
    }

    private static List<Class<?>> allowedTypes() {
        List<Class<?>> types = new ArrayList<>();
        for (String name : APPLICATION.getProperty("pubsub.allowed-types").split(",", -1)) {
            try {
                types.add(Class.forName(name.strip()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("pubsub.allowed-types names a class that is not there: " + name, e);
            }
        }
        return types;
    }

    private static Properties applicationProperties() {
        Properties properties = new Properties();
        try (InputStream in = MockChatServlet.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return properties;
    }
}
