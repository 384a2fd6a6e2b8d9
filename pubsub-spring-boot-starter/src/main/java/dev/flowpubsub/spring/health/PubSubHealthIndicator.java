package dev.flowpubsub.spring.health;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubStats;
import dev.flowpubsub.SignalStats;
import dev.flowpubsub.spi.TransportHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Reports the hub in Spring Boot's health as "pubsub": UP while the hub is open, DOWN once it is closed.
 *
 * <p>A transport that cannot reach its engine does not take it DOWN: pages on this server still get each other's
 * messages, and a DOWN here would take every node out of a load balancer at once when Redis goes away. The
 * transport's state shows in the details instead, as {@code transport: UP} or {@code DOWN}, with the transport's
 * own details (never its secrets) and a few of the hub's counters; once a shared signal was made, {@code signals}
 * says where this node is in their log and how old its last snapshot is. To stop sending traffic to a node that cannot
 * reach the others, include {@link PubSubTransportHealthIndicator "pubsubTransport"} in the readiness group.
 *
 * <p>Thread-safe: {@link #health()} only reads the hub's counters and asks the transport for its state.
 */
public class PubSubHealthIndicator implements HealthIndicator {

    private final PubSubHub hub;

    /** The health of {@code hub}. */
    public PubSubHealthIndicator(PubSubHub hub) {
        this.hub = hub;
    }

    @Override
    public Health health() {
        PubSubStats stats = hub.stats();
        Optional<TransportHealth> transport = hub.transportHealth();
        Health.Builder health = hub.isClosed() ? Health.down() : Health.up();
        health.withDetail("pages", stats.subscribedUis()).withDetail("pending", stats.pending())
                .withDetail("dropped", stats.dropped());
        if (transport.isPresent()) {
            health.withDetail("node", hub.nodeId().orElse("")).withDetails(transport.get().details())
                    .withDetail("transport", transport.get().up() ? "UP" : "DOWN")
                    .withDetail("remoteMissed", stats.remoteMissed())
                    .withDetail("remoteRejected", stats.remoteRejected());
        } else {
            health.withDetail("transport", "none: this server only");
        }
        hub.signalStats().ifPresent(signals -> health.withDetail("signals", signalDetails(signals)));
        return health.build();
    }

    /** Where this node is in the shared signals' log, and how old its last snapshot is. */
    private static Map<String, Object> signalDetails(SignalStats signals) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("position", signals.position());
        details.put("behind", signals.head() - signals.position());
        details.put("namesInUse", signals.namesInUse());
        details.put("snapshotAgeSeconds", signals.snapshotAgeMillis() < 0 ? "none yet" : signals.snapshotAgeMillis() / 1000);
        details.put("resets", signals.resets());
        return details;
    }
}
