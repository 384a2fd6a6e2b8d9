package dev.flowpubsub.spring;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubStats;
import dev.flowpubsub.spi.TransportHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.Optional;

/**
 * Reports the hub in Spring Boot's health: DOWN when it is closed or its transport cannot reach its engine,
 * with the transport's details (never its secrets) and a few of the hub's counters.
 */
public class PubSubHealthIndicator implements HealthIndicator {

    private final PubSubHub hub;

    public PubSubHealthIndicator(PubSubHub hub) {
        this.hub = hub;
    }

    @Override
    public Health health() {
        PubSubStats stats = hub.stats();
        Optional<TransportHealth> transport = hub.transportHealth();
        boolean up = !hub.isClosed() && transport.map(TransportHealth::up).orElse(true);
        Health.Builder health = up ? Health.up() : Health.down();
        health.withDetail("pages", stats.subscribedUis()).withDetail("pending", stats.pending())
                .withDetail("dropped", stats.dropped());
        if (transport.isPresent()) {
            health.withDetail("node", hub.nodeId().orElse("")).withDetails(transport.get().details())
                    .withDetail("remoteMissed", stats.remoteMissed())
                    .withDetail("remoteRejected", stats.remoteRejected());
        } else {
            health.withDetail("transport", "none: this server only");
        }
        return health.build();
    }
}
