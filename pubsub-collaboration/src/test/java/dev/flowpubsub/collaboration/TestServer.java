package dev.flowpubsub.collaboration;

import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.mock.MockVaadinServlet;
import com.vaadin.flow.function.DeploymentConfiguration;
import com.vaadin.flow.server.ServiceException;
import com.vaadin.flow.server.VaadinServletService;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubHubBuilder;
import dev.flowpubsub.testing.InMemoryTransport;

import java.util.function.UnaryOperator;

/**
 * One server of the collaboration tests: Karibu's servlet with the test views of this package, and a hub that keeps
 * the history of {@code room:} topics, alone or one node of several on an in-memory engine ({@link #onNode}). The
 * test destroys it when done (or Karibu's tear-down does, for the test thread's own).
 */
final class TestServer extends MockVaadinServlet {

    private final UnaryOperator<PubSubHubBuilder> hub;

    TestServer() {
        this(UnaryOperator.identity());
    }

    TestServer(UnaryOperator<PubSubHubBuilder> hub) {
        super(new Routes().autoDiscoverViews("dev.flowpubsub.collaboration"));
        this.hub = hub;
    }

    /** The server {@code name} of several on {@code bus}. */
    static TestServer onNode(InMemoryTransport.Bus bus, String name) {
        return new TestServer(builder -> builder.transport(bus.newTransport(name)).nodeId(name));
    }

    @Override
    protected VaadinServletService createServletService(DeploymentConfiguration configuration) throws ServiceException {
        VaadinServletService service = super.createServletService(configuration);
        PubSubHubBuilder builder = PubSubHub.builder().history(HistoryPolicy.keep(50, "room:"));
        PubSubHub.install(service, hub.apply(builder).build(), true);
        return service;
    }
}
