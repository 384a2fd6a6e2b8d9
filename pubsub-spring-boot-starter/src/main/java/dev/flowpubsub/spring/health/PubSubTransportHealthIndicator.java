package dev.flowpubsub.spring.health;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.spi.TransportHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.Optional;

/**
 * Reports whether the hub reaches the other nodes, as "pubsubTransport": DOWN while its transport cannot reach its
 * engine (or the hub is closed), with the transport's details (never its secrets). Without a transport it is UP,
 * so a readiness group may include it on every server, with or without Redis.
 *
 * <p>It is meant for a readiness group only, and the starter keeps it out of the root {@code /actuator/health}
 * (see {@link PubSubHealthContributorAutoConfiguration}), so that losing Redis takes a node out of the load balancer
 * only where the application asks for that:
 * <pre>
 * management.endpoint.health.group.readiness.include=readinessState,pubsubTransport
 * </pre>
 *
 * <p>Thread-safe: {@link #health()} only asks the transport for its state.
 */
public class PubSubTransportHealthIndicator implements HealthIndicator {

    private final PubSubHub hub;

    /** The health of {@code hub}'s transport. */
    public PubSubTransportHealthIndicator(PubSubHub hub) {
        this.hub = hub;
    }

    @Override
    public Health health() {
        Optional<TransportHealth> transport = hub.transportHealth();
        if (transport.isEmpty()) {
            return (hub.isClosed() ? Health.down() : Health.up()).withDetail("transport", "none: this server only")
                    .build();
        }
        boolean up = transport.get().up() && !hub.isClosed();
        return (up ? Health.up() : Health.down()).withDetail("node", hub.nodeId().orElse(""))
                .withDetails(transport.get().details()).build();
    }
}
