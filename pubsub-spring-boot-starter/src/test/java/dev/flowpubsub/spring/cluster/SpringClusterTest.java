package dev.flowpubsub.spring.cluster;

import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.spring.MockSpringServlet;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinServlet;
import dev.flowpubsub.Presence;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testing.ClusterNode;
import dev.flowpubsub.testing.ClusterPage;
import dev.flowpubsub.testing.InMemoryTransport;
import dev.flowpubsub.testing.PubSubCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.ApplicationContextFactory;
import org.springframework.boot.Banner;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.mock.web.MockServletContext;
import org.springframework.web.context.support.GenericWebApplicationContext;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A cluster of Spring Boot applications in one JVM: each node of a {@link PubSubCluster} is an application context of
 * its own, with the starter's hub bean on the cluster's in-memory engine, its views made by Spring and shown by
 * Karibu's {@link MockSpringServlet}. The cluster's {@code nodeFactory} starts a context per node: the node's
 * {@link Transport} is a bean of it, its node id the starter's {@code pubsub.node-id}, and the context closes when the
 * node's Vaadin service is destroyed.
 */
class SpringClusterTest {

    /**
     * The application of every node: the starter's auto-configuration, this package's view and service. It has no
     * database, but this module's test classpath has Spring Boot's JDBC support, for the PostgreSQL tests.
     */
    @SpringBootApplication(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    static class NewsApp {
    }

    /** Every node's views: found once, shared by the nodes' servlets. */
    private static final Routes ROUTES = new Routes().autoDiscoverViews("dev.flowpubsub.spring.cluster");

    /** A web application context on a mock servlet context: what @SpringBootTest's mock environment starts. */
    private static final ApplicationContextFactory MOCK_WEB =
            ApplicationContextFactory.of(() -> new GenericWebApplicationContext(new MockServletContext()));

    private final Map<String, ConfigurableApplicationContext> contexts = new ConcurrentHashMap<>();
    private PubSubCluster cluster;

    @BeforeEach
    void startCluster() {
        // snippet:node-factory
        cluster = PubSubCluster.builder().nodes("a", "b").nodeFactory(this::springNode).build();
        // end:node-factory
    }

    @AfterEach
    void stopCluster() {
        if (cluster == null) {
            return;
        }
        cluster.close();
        assertThat(contexts.values()).noneMatch(ConfigurableApplicationContext::isActive);
    }

    /** Starts node {@code name}: an application context of its own, as a server of the application would be. */
    private VaadinServlet springNode(String name, Transport transport) {
        // snippet:spring-node
        ConfigurableApplicationContext context = new SpringApplicationBuilder(NewsApp.class)
                .contextFactory(MOCK_WEB) // a servlet application with no server, as in @SpringBootTest
                .initializers(starting -> {
                    // the starter builds its hub on a Transport bean: the cluster's, for this node
                    starting.getBeanFactory().registerSingleton("clusterTransport", transport);
                    // the context ends with the node's Vaadin service, which the cluster destroys
                    starting.getBeanFactory().registerSingleton("closeWithVaadinService", closing(starting));
                })
                .properties("pubsub.node-id=" + name, "pubsub.presence-heartbeat=1d") // no heartbeats in a test
                .bannerMode(Banner.Mode.OFF).logStartupInfo(false).registerShutdownHook(false)
                .run();
        contexts.put(name, context);
        return new MockSpringServlet(ROUTES, context, UI::new);
        // end:spring-node
    }

    /** Closes {@code context} when the Vaadin service it serves is destroyed. */
    private static VaadinServiceInitListener closing(ConfigurableApplicationContext context) {
        return event -> event.getSource().addServiceDestroyListener(destroyed -> context.close());
    }

    private static ClusterPage reader(ClusterNode node, String name) {
        return node.open("news", session -> session.setAttribute("name", name));
    }

    private static List<String> shown(ClusterPage page) {
        return page.call(() -> _get(NewsView.class).shown());
    }

    private static List<Object> present(ClusterNode node) {
        return node.presence(NewsView.NEWS.name()).stream().map(Presence::descriptor).sorted().map(Object.class::cast)
                .toList();
    }

    @Test
    void eachNode_isAContextOfItsOwn_whoseHubBeanRunsOnTheClustersTransport_withItsNodeId() {
        for (String name : List.of("a", "b")) {
            ConfigurableApplicationContext context = contexts.get(name);
            ClusterNode node = cluster.node(name);
            PubSubHub hub = context.getBean(PubSubHub.class);

            assertThat(node.hub()).as("the node's Vaadin service uses its context's hub bean").isSameAs(hub);
            assertThat(hub.nodeId()).contains(name);
            assertThat(context.getBean(Transport.class)).isInstanceOfSatisfying(InMemoryTransport.class,
                    transport -> assertThat(transport.node()).isEqualTo(name));
            assertThat(node.call(VaadinService::getCurrent)).isSameAs(node.servlet().getService());
        }
        assertThat(contexts.get("a").getBean(Newsroom.class)).isNotSameAs(contexts.get("b").getBean(Newsroom.class));
        assertThat(reader(cluster.node("b"), "Bob").call(() -> _get(NewsView.class).server())).isEqualTo("server b");
    }

    @Test
    void aServiceBeanOnNodeA_sends_andThePagesOnBothNodesShowIt_onceDelivered() {
        ClusterPage ann = reader(cluster.node("a"), "Ann");
        ClusterPage bob = reader(cluster.node("b"), "Bob");

        // snippet:service-sends
        contexts.get("a").getBean(Newsroom.class).publish("from a's service");
        assertThat(shown(bob)).isEmpty(); // nothing moves on its own
        cluster.deliverPending();
        assertThat(shown(bob)).containsExactly("from a's service");
        // end:service-sends
        assertThat(shown(ann)).containsExactly("from a's service");
    }

    @Test
    void readersOnBothContexts_arePresentOnBoth_andAClosedTabLeavesBoth() {
        ClusterPage ann = reader(cluster.node("a"), "Ann");
        reader(cluster.node("b"), "Bob");
        cluster.deliverPending();

        assertThat(present(cluster.node("a"))).containsExactly("Ann", "Bob");
        assertThat(present(cluster.node("b"))).containsExactly("Ann", "Bob");

        ann.close();
        cluster.deliverPending();
        assertThat(present(cluster.node("a"))).containsExactly("Bob");
        assertThat(present(cluster.node("b"))).containsExactly("Bob");
    }

    @Test
    void aStoppedNode_closesItsContext_andARestartIsANewContext_withTheSameNodeId() {
        reader(cluster.node("a"), "Ann");
        reader(cluster.node("b"), "Bob");
        cluster.deliverPending();
        ConfigurableApplicationContext first = contexts.get("b");

        cluster.stop("b");
        cluster.deliverPending();
        assertThat(first.isActive()).isFalse();
        assertThat(present(cluster.node("a"))).containsExactly("Ann");

        ClusterPage bob = reader(cluster.restart("b"), "Bob again");
        contexts.get("a").getBean(Newsroom.class).publish("welcome back");
        cluster.deliverPending();

        assertThat(contexts.get("b")).isNotSameAs(first);
        assertThat(contexts.get("b").getBean(PubSubHub.class).nodeId()).contains("b");
        assertThat(present(cluster.node("a"))).containsExactly("Ann", "Bob again");
        assertThat(shown(bob)).containsExactly("welcome back");
    }

    @Test
    void aKilledNode_closesItsContext_andTheOtherNodeDropsItsReaders() {
        reader(cluster.node("a"), "Ann");
        reader(cluster.node("b"), "Bob");
        cluster.deliverPending();

        cluster.kill("b"); // no page detaches, the hub says no goodbye: the engine tells a that b is gone
        cluster.deliverPending();

        assertThat(contexts.get("b").isActive()).isFalse();
        assertThat(present(cluster.node("a"))).containsExactly("Ann");
    }
}
