package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import dev.flowpubsub.PubSubHub;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An item a {@link PubSubBinder} has open on one page: its shared fields, the effect that shows the shared values,
 * and, when the page leaves it, the check that clears the item's values once its last editor has been gone for the
 * expiration delay.
 *
 * <p>Threading: made and closed on the page's thread with its session lock held; the expiry check runs later on a
 * JDK scheduler thread and only reads the hub's presence and writes the shared map, which are thread-safe.
 */
final class OpenItem implements Serializable {

    private static final Logger LOG = LoggerFactory.getLogger(OpenItem.class);

    final Map<HasValue<?, ?>, SharedField<?>> fields;
    private final String topic;
    private final transient PubSubHub hub;
    private final SharedMapSignal<String> values;
    private final Registration effect;

    OpenItem(String topic, PubSubHub hub, SharedMapSignal<String> values, Map<HasValue<?, ?>, SharedField<?>> fields,
             Registration effect) {
        this.topic = topic;
        this.hub = hub;
        this.values = values;
        this.fields = fields;
        this.effect = effect;
    }

    /** Stops sharing on this page, and clears the item's values after {@code expiration} if nobody edits it then. */
    void close(Duration expiration) {
        effect.remove();
        fields.values().forEach(SharedField::close);
        PubSubHub running = hub;
        if (running == null) {
            return;
        }
        CompletableFuture.delayedExecutor(expiration.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> expire(running));
    }

    private void expire(PubSubHub running) {
        if (running.isClosed() || !running.presence(topic).isEmpty()) {
            return;
        }
        try {
            values.clear();
        } catch (RuntimeException e) {
            LOG.warn("Could not clear the shared values of {}, whose last editor left: {}", topic, e.toString());
        }
    }
}
