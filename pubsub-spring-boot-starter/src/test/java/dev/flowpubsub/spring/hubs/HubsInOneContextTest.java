package dev.flowpubsub.spring.hubs;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.spring.PubSubAutoConfiguration;
import dev.flowpubsub.testing.InMemoryEngine;
import dev.flowpubsub.testing.InMemoryTransport;
import dev.flowpubsub.testing.PubSubTesting;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two servers' hubs in one application context, for server code with no view: two {@link PubSubHub} beans, node ids
 * {@code "a"} and {@code "b"}, on one stepped in-memory engine, which the test steps. The starter's own hub backs off
 * (an application's hub replaces it); the hub it would install into Vaadin, and the one its health and meters read, is
 * the {@link Primary} one.
 */
@SpringBootTest(classes = HubsInOneContextTest.TwoServers.class)
class HubsInOneContextTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** The application: this package's service, and the two servers' hubs. */
    @SpringBootApplication(excludeName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
    static class TwoServers {

        /** The engine between the servers: it moves nothing until the test steps it. */
        @Bean
        InMemoryEngine engine() {
            return InMemoryEngine.stepped(42);
        }

        @Bean
        InMemoryTransport.Bus bus(InMemoryEngine engine) {
            return InMemoryTransport.Bus.stepped(engine);
        }

        // snippet:two-hubs
        @Bean
        @Primary // what takes one hub gets this one: the starter's Vaadin installer, health, meters, PriceFeed
        PubSubHub hubA(InMemoryTransport.Bus bus) {
            return server(bus, "a");
        }

        @Bean
        PubSubHub hubB(InMemoryTransport.Bus bus) {
            return server(bus, "b");
        }
        // end:two-hubs

        /** A server's hub: closed with the context (Spring calls a bean's {@code close()}), its transport with it. */
        private static PubSubHub server(InMemoryTransport.Bus bus, String nodeId) {
            return PubSubHub.builder().transport(bus.newTransport(nodeId)).nodeId(nodeId)
                    .presenceHeartbeat(Duration.ofDays(1)) // none in a test's time
                    .build();
        }
    }

    @Autowired
    InMemoryEngine engine;

    @Autowired
    PubSubHub hubA;

    @Autowired
    @Qualifier("hubB")
    PubSubHub hubB;

    @Autowired
    PriceFeed feed;

    /** Moves everything in flight between the hubs, until nothing is left. */
    private void deliverPending() throws InterruptedException {
        boolean progress;
        do {
            awaitIdle(); // what the hubs sent or wrote is with the engine
            progress = engine.deliverPending();
            awaitIdle(); // what they read is handed on
        } while (progress);
    }

    private void awaitIdle() throws InterruptedException {
        for (PubSubHub hub : List.of(hubA, hubB)) {
            assertThat(hub.awaitIdle(TIMEOUT)).as("%s idle", hub).isTrue();
        }
    }

    /** The context, and its hubs, are shared by the tests: each starts with nothing in flight. */
    @BeforeEach
    void nothingInFlight() throws InterruptedException {
        deliverPending();
    }

    @Test
    void theHubs_areTwoNodes_andWhatTakesOneHubGetsThePrimary(@Autowired ApplicationContext context) {
        assertThat(hubA.nodeId()).contains("a");
        assertThat(hubB.nodeId()).contains("b");
        assertThat(context.getBeansOfType(PubSubHub.class)).as("the starter's own hub backed off")
                .containsOnlyKeys("hubA", "hubB");
        assertThat(context.getBean("pubsubHealthIndicator", HealthIndicator.class).health().getDetails())
                .containsEntry("node", "a");
        long sentOnA = hubA.stats().sent();
        long sentOnB = hubB.stats().sent();

        feed.tick("ACME 40");

        assertThat(hubA.stats().sent()).isEqualTo(sentOnA + 1);
        assertThat(hubB.stats().sent()).isEqualTo(sentOnB);
    }

    @Test
    void whatAServiceSendsThroughHubA_reachesHubB_onlyWhenTheEngineIsStepped() throws InterruptedException {
        long before = hubB.stats().remoteReceived();
        feed.tick("ACME 42");
        awaitIdle();
        assertThat(hubB.stats().remoteReceived()).isEqualTo(before); // nothing moves on its own
        deliverPending();
        assertThat(hubB.stats().remoteReceived()).isEqualTo(before + 1);
        assertThat(hubA.stats().remoteReceived()).as("a does not receive its own back").isZero();
    }

    @Test
    void aPageSubscribedOnHubB_receivesWhatHubASends_inOrder() throws InterruptedException {
        MockVaadin.setup(); // a page with no view, for a subscriber: subscriptions belong to pages
        try {
            List<String> received = new CopyOnWriteArrayList<>();
            hubB.pubSub(UI.getCurrent())
                    .subscribeTopic(PriceFeed.PRICES, String.class, (String price) -> received.add(price));

            feed.tick("ACME 41");
            feed.tick("ACME 42");
            deliverPending();
            PubSubTesting.deliverPending(hubB, VaadinSession.getCurrent(), TIMEOUT); // the page's session is locked

            assertThat(received).containsExactly("ACME 41", "ACME 42");
        } finally {
            MockVaadin.tearDown();
        }
    }

    @Test
    void sharedSignalsWrittenThroughEitherHub_areConfirmedTheSameOnBoth() throws InterruptedException {
        // snippet:signals
        SharedValueSignal<String> titleOnB = hubB.signals().value("board.title", String.class);
        hubA.signals().value("board.title", String.class).set("Prices");
        assertThat(titleOnB.peekConfirmed()).isNull(); // not until the engine moves it
        deliverPending();
        assertThat(titleOnB.peekConfirmed()).isEqualTo("Prices");
        // end:signals

        SharedListSignal<String> onA = hubA.signals().list("board.rows", String.class);
        SharedListSignal<String> onB = hubB.signals().list("board.rows", String.class);
        onA.insertLast("from a");
        onB.insertLast("from b");
        deliverPending();
        List<String> rowsOnA = onA.peekConfirmed().stream().map(row -> row.peekConfirmed()).toList();
        List<String> rowsOnB = onB.peekConfirmed().stream().map(row -> row.peekConfirmed()).toList();
        assertThat(rowsOnA).containsExactlyInAnyOrder("from a", "from b").isEqualTo(rowsOnB);
    }

    /** Two hubs and no primary: the starter's beans that take the hub cannot choose, and the context fails. */
    @Test
    void twoHubsWithoutAPrimary_failTheStartup_atTheStartersInstaller() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(PubSubAutoConfiguration.class))
                .withUserConfiguration(NoPrimary.class)
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .hasRootCauseInstanceOf(NoUniqueBeanDefinitionException.class));
    }

    /** Not a {@code @Configuration}: the application's component scan would take it in. */
    static class NoPrimary {

        @Bean
        InMemoryTransport.Bus bus() {
            return new InMemoryTransport.Bus();
        }

        @Bean(destroyMethod = "close")
        PubSubHub first(InMemoryTransport.Bus bus) {
            return PubSubHub.builder().transport(bus.newTransport("a")).nodeId("a").build();
        }

        @Bean(destroyMethod = "close")
        PubSubHub second(InMemoryTransport.Bus bus) {
            return PubSubHub.builder().transport(bus.newTransport("b")).nodeId("b").build();
        }
    }
}
