package dev.flowpubsub.micrometer;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.Inbox;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubSignalRefusedException;
import dev.flowpubsub.SignalStats;
import dev.flowpubsub.VaadinApp;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The hub's stats, as Micrometer meters. */
class PubSubMetricsTest {

    @Test
    void meters_followTheHubsStats() {
        try (PubSubHub hub = PubSubHub.builder().build()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new PubSubMetrics(hub, Tags.of("app", "chat")).bindTo(registry);

            hub.sendAll("one");
            hub.sendAllOnTopic("news", "two");

            assertThat(registry.get("pubsub.messages.sent").tag("app", "chat").functionCounter().count()).isEqualTo(2);
            assertThat(registry.get("pubsub.uis").gauge().value()).isZero();
            assertThat(registry.get("pubsub.messages.dropped").functionCounter().count()).isZero();
            assertThat(registry.get("pubsub.messages.refused").functionCounter().count()).isZero();
            assertThat(registry.get("pubsub.inbox").gauge().value()).isBetween(0.0, 2.0);
            assertThat(registry.get("pubsub.push.waiting").gauge().value()).isZero();
            assertThat(registry.getMeters()).hasSize(19 + 19);
            assertThat(hub.signalStats()).as("the signal meters start no signal").isEmpty();
        }
    }

    @Test
    void signalMeters_followTheNodesSharedSignals() {
        try (PubSubHub hub = PubSubHub.builder().build()) {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new PubSubMetrics(hub).bindTo(registry);
            assertThat(registry.get("pubsub.signals.names").gauge().value()).isZero();
            assertThat(registry.get("pubsub.signals.snapshot.age").gauge().value()).isNaN();

            var title = hub.signals().value("title", String.class);
            title.set("one");
            await().atMost(Duration.ofSeconds(10)).until(() -> hub.signalStats().orElseThrow().confirmed() == 1);
            assertThatThrownBy(() -> title.set("x".repeat(70_000))).isInstanceOf(PubSubSignalRefusedException.class);

            assertThat(registry.get("pubsub.signals.names").gauge().value()).isEqualTo(1);
            assertThat(registry.get("pubsub.signals.submitted").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("pubsub.signals.confirmed").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("pubsub.signals.refused").tag("reason", "size").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("pubsub.signals.refused").tag("reason", "timeout").functionCounter().count())
                    .isZero();
            assertThat(registry.get("pubsub.signals.confirm.latency").functionTimer().count()).isEqualTo(1);
            assertThat(hub.signalStats().orElseThrow().refused().keySet())
                    .containsExactlyInAnyOrderElementsOf(SignalStats.REFUSAL_REASONS);
        }
    }

    @Test
    void timers_tellHowLateMessagesReachedTheirHandlers() {
        try (VaadinApp app = new VaadinApp()) {
            PubSubHub hub = PubSubHub.builder().install(app.service);
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            new PubSubMetrics(hub, Tags.of("app", "chat")).bindTo(registry);
            UI page = app.browser().pushTab();
            Inbox inbox = new Inbox(page);
            page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));

            hub.sendAll("one");
            app.deliver();
            hub.sendAll("two");
            app.deliver();

            assertThat(inbox.messages).containsExactly("one", "two");
            Timer local = registry.get("pubsub.delivery.latency").tags("app", "chat", "origin", "local").timer();
            assertThat(local.count()).isEqualTo(2);
            assertThat(local.max(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(registry.get("pubsub.delivery.latency").tag("origin", "remote").timer().count()).isZero();
            assertThat(registry.get("pubsub.remote.lag").timer().count()).isZero();
        }
    }
}
