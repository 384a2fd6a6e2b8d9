package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import dev.flowpubsub.PubSubHub;

import java.io.Serializable;
import java.time.Duration;
import java.util.Map;

/**
 * An item a {@link PubSubBinder} has open on one page: its shared fields and the effect that shows the shared values.
 * Closing it stops both and hands the item to {@link ItemExpiry}.
 *
 * <p>Threading: made and closed on the page's thread with its session lock held.
 */
final class OpenItem implements Serializable {

    final Map<HasValue<?, ?>, SharedField<?>> fields;
    private final String topic;
    private final transient PubSubHub hub;
    private final SharedMapSignal<String> values;
    private final transient Registration effect;

    OpenItem(String topic, PubSubHub hub, SharedMapSignal<String> values, Map<HasValue<?, ?>, SharedField<?>> fields,
             Registration effect) {
        this.topic = topic;
        this.hub = hub;
        this.values = values;
        this.fields = fields;
        this.effect = effect;
    }

    /** Stops sharing on this page; the item's values are cleared {@code expiration} after its last editor left. */
    void close(Duration expiration) {
        if (effect != null) {
            effect.remove();
        }
        fields.values().forEach(SharedField::close);
        if (hub != null) {
            ItemExpiry.leave(hub, topic, values, expiration);
        }
    }
}
