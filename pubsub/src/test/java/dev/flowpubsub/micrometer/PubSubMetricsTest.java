package dev.flowpubsub.micrometer;

import dev.flowpubsub.PubSubHub;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
            assertThat(registry.getMeters()).hasSize(15);
        }
    }
}
