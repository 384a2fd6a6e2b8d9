package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.dom.Element;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubAccessDeniedException;
import dev.flowpubsub.PubSubSignalRefusedException;
import org.jspecify.annotations.Nullable;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One field of a {@link PubSubBinder} while an item is open: writes what its user changes to the item's shared map,
 * shows what others wrote unless its user is in the field (then what came meanwhile is shown when they leave it, if
 * they changed nothing), makes its user present on the field's topic while in it, and marks who else is.
 *
 * <p>Threading: every method runs on the page's thread with its session lock held (listeners, effects, presence
 * handlers all do).
 *
 * @param <V> the field's value type
 */
final class SharedField<V> implements Serializable {

    private final HasValue<?, V> field;
    private final String key;
    private final FieldCodec<V> codec;
    /** The bean property's type, where the value type was taken from it (a field that is not one of Vaadin's). */
    private final @Nullable Class<?> typeFromBean;
    private final String fieldTopic;
    private final Map<String, Object> user;
    private final String userId;
    private final PresentUsers editors = new PresentUsers();
    private final List<Registration> registrations = new ArrayList<>();
    private @Nullable Registration inField;
    /** What others wrote while this user was in the field, to show when they leave it; null: nothing came. */
    private @Nullable String held;
    private boolean focused;
    private @Nullable String shown;

    SharedField(HasValue<?, V> field, String key, FieldCodec<V> codec, @Nullable Class<?> typeFromBean,
                String itemTopic, UserInfo user) {
        this.field = field;
        this.key = key;
        this.codec = codec;
        this.typeFromBean = typeFromBean;
        this.fieldTopic = itemTopic + "#" + key;
        this.user = Wire.user(user);
        this.userId = user.id();
    }

    String key() {
        return key;
    }

    /**
     * Checks, after the seed bean filled the field, that a value type taken from the bean property is the field's:
     * a field bound through a converter holds another type, which this binder cannot write.
     *
     * @throws IllegalArgumentException if it is not, saying to use {@code shareAs}
     */
    void checkSeedType() {
        V value = field.getValue();
        if (typeFromBean != null && value != null && !FieldTypes.boxed(typeFromBean).isInstance(value)) {
            throw new IllegalArgumentException("the shared field '" + key + "' holds a " + value.getClass().getName()
                    + ", not the " + typeFromBean.getName() + " of its bean property (bound through a converter?): "
                    + "say how to write it as text with shareAs(field, toText, fromText)");
        }
    }

    /**
     * Refuses to write a value of another type than the bean property's, where the value type was taken from it: a
     * field bound through a converter, which the seed left empty so that {@link #checkSeedType} could not tell.
     */
    private void checkType(@Nullable V value) {
        if (typeFromBean != null && value != null && !FieldTypes.boxed(typeFromBean).isInstance(value)) {
            throw new IllegalStateException("the shared field '" + key + "' holds a " + value.getClass().getName()
                    + ", not the " + typeFromBean.getName() + " of its bean property (bound through a converter?): "
                    + "say how to write it as text with shareAs(field, toText, fromText)");
        }
    }

    /** The value to seed the item with, from the field as the seed bean filled it. */
    String seedValue() {
        return codec.write(field.getValue());
    }

    /** Starts sharing: called once, inside the binder's subscriptions for the item (so they end with it). */
    void open(PubSub pubsub, SharedMapSignal<String> values) {
        // the listeners look the page up when they need it (on focus) rather than keep its PubSub, which is not
        // serializable: a session holding an open item must serialize (SerializationTest)
        Element element = ((Component) field).getElement();
        registrations.add(FieldMarkers.attach(element));
        pubsub.subscribePresence(fieldTopic, event -> {
            if (editors.apply(event)) {
                FieldMarkers.show(element, editors.users(userId));
            }
        });
        registrations.add(field.addValueChangeListener(event -> {
            if (event.isFromClient()) {
                held = null;
                checkType(event.getValue());
                String text = codec.write(event.getValue());
                try {
                    values.put(key, text);
                    shown = text;
                } catch (PubSubSignalRefusedException refused) {
                    Notification.show("Your change was not shared with the others: you are changing the form too "
                            + "fast, or may not change it. Try again in a moment.", 5000,
                            Notification.Position.BOTTOM_CENTER).addThemeVariants(NotificationVariant.LUMO_ERROR);
                }
            }
        }));
        // Vaadin's fields fire focus and blur on their host element (what Vaadin's FocusNotifier listens to)
        registrations.add(element.addEventListener("focus", event -> entered()));
        registrations.add(element.addEventListener("blur", event -> left()));
    }

    /** Shows the shared value (from the item's map, read in an effect), unless the user is in the field. */
    void sharedValue(@Nullable SharedValueSignal<String> entry) {
        String text = entry == null ? null : entry.get();
        if (text == null) {
            return;
        }
        if (focused) {
            // what shows when the user leaves the field: nothing if the shared value is back to what they see
            held = text.equals(shown) ? null : text;
        } else if (!text.equals(shown)) {
            apply(text);
        }
    }

    private void apply(String text) {
        shown = text;
        V value;
        try {
            value = codec.read(text, field.getEmptyValue());
        } catch (IllegalArgumentException notOurs) {
            return;
        }
        if (!Objects.equals(value, field.getValue())) {
            field.setValue(value);
        }
    }

    private void entered() {
        focused = true;
        UI ui = ((Component) field).getUI().orElse(null);
        if (inField == null && ui != null) {
            try {
                inField = PubSub.of(ui).join(fieldTopic, user);
            } catch (PubSubAccessDeniedException refused) {
                // the application does not let this page show itself in the field: no marker, the rest works
            }
        }
    }

    private void left() {
        focused = false;
        if (inField != null) {
            inField.remove();
            inField = null;
        }
        String came = held;
        held = null;
        if (came != null) {
            apply(came);
        }
    }

    /** Who else is in the field now. */
    List<UserInfo> editors() {
        return editors.users(userId);
    }

    /** Stops sharing (the item closed); the presence subscription ends with the binder's subscriptions. */
    void close() {
        registrations.forEach(Registration::remove);
        registrations.clear();
        if (inField != null) {
            inField.remove();
            inField = null;
        }
        editors.clear();
        held = null;
        focused = false;
        shown = null;
        if (((Component) field).isAttached()) {
            FieldMarkers.show(((Component) field).getElement(), List.of());
        }
    }
}
