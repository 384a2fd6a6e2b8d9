package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasValue;
import com.vaadin.flow.data.binder.Binder;
import com.vaadin.flow.data.binder.PropertyDefinition;
import com.vaadin.flow.function.SerializableFunction;
import com.vaadin.flow.function.SerializableSupplier;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubSignalRefusedException;
import dev.flowpubsub.Retargetable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Binder} whose fields share their values live with everyone editing the same item, on every server: the
 * counterpart of Collaboration Kit's {@code CollaborationBinder}. Bind fields as with any binder, then open an item:
 *
 * <pre>{@code
 * PubSubBinder<Ticket> binder = new PubSubBinder<>(Ticket.class, this);   // this: the view that shows the form
 * binder.forField(title).bind("title");
 * binder.forField(status).bind("status");
 * binder.setTopic("ticket/" + ticket.id(), () -> ticket);                 // on every editor's page
 * ...
 * save.addClickListener(e -> binder.writeBeanIfValid(ticket));           // saving stays the application's job
 * }</pre>
 *
 * <ul>
 *   <li><b>Values.</b> Each field's value is an entry of the item's shared map (a flow-pubsub shared signal named after
 *       the topic). The last write wins per field, in one order on every server. A field's user changing it writes
 *       it; others' writes show in the field, except while its user is in it (focused): what came meanwhile shows
 *       when they leave it, unless they changed the field, in which case their own write, made later, wins.</li>
 *   <li><b>Seeding.</b> The first editor of an item seeds the shared values from its bean ({@code seed}); later
 *       editors are shown the shared values. The seed is one write, whatever the number of fields.</li>
 *   <li><b>Who is where.</b> Each editor is present on the item's topic while it is open, and on a topic of each
 *       field ({@code topic + "#" + key}) while in it; each field marks who else is in it with Vaadin's field
 *       highlighter. Markers go when they leave the field, close the page, or their browser is gone past the hub's
 *       disconnect grace: flow-pubsub's presence, nothing else.</li>
 *   <li><b>Expiry.</b> When the last editor has left, the item's shared values are cleared after
 *       {@linkplain #setExpiration(Duration) a delay} (one minute by default), so the next editor seeds again.</li>
 *   <li><b>Authorization.</b> Opening an item joins its topic and reads the shared signal of that name, and writing
 *       writes it: the application's {@code TopicAuthorizer} decides per item ({@code JOIN}, {@code READ_SIGNAL},
 *       {@code WRITE_SIGNAL} on the topic).</li>
 * </ul>
 *
 * <p>Which fields: a field bound by property name ({@code bind("title")}) is shared under that name; any other under
 * its component id ({@code setId}), else {@link #setTopic} refuses it. Its value type is known for Vaadin's text
 * fields, number fields, date and time pickers and checkbox, and from the bean property otherwise (combo box,
 * select, radio buttons of an enum or String); a field whose value is another type (an entity in a combo box) says
 * how to write it as text with {@link #shareAs}. See docs/collaboration.md for the fields that work.
 *
 * <p>Threading: build it, bind fields and call its methods on the page's thread or inside {@code ui.access}; shared
 * values and presence reach the fields inside the page's {@code ui.access}.
 *
 * @param <BEAN> the bean type
 */
public final class PubSubBinder<BEAN> extends Binder<BEAN> {

    private static final Logger LOG = LoggerFactory.getLogger(PubSubBinder.class);

    private final Class<BEAN> beanType;
    private final Component owner;
    private final UserInfo user;
    private final IdentityHashMap<HasValue<?, ?>, FieldCodec<?>> declared = new IdentityHashMap<>();
    private final Retargetable<String> topic;
    private @Nullable SerializableSupplier<BEAN> seed;
    private @Nullable OpenItem open;
    private Duration expiration = Duration.ofMinutes(1);

    /** A binder for the {@linkplain CurrentUser#get() current user}, its items open while {@code owner} is attached. */
    public PubSubBinder(Class<BEAN> beanType, Component owner) {
        this(beanType, owner, CurrentUser.get());
    }

    /**
     * A binder for {@code user}, its items open while {@code owner} (the view or form showing the fields) is attached.
     */
    public PubSubBinder(Class<BEAN> beanType, Component owner, UserInfo user) {
        super(beanType);
        this.beanType = beanType;
        this.owner = Objects.requireNonNull(owner, "owner");
        this.user = Objects.requireNonNull(user, "user");
        this.topic = PubSub.whileAttached(owner).retargetable(this::open);
        owner.addDetachListener(event -> close());
    }

    @Override
    public <FIELDVALUE> BindingBuilder<BEAN, FIELDVALUE> forField(HasValue<?, FIELDVALUE> field) {
        if (!(field instanceof Component)) {
            throw new IllegalArgumentException("a PubSubBinder shares fields that are components; "
                    + field.getClass().getName() + " is not");
        }
        return super.forField(field);
    }

    /**
     * Shares {@code field}'s value as text the application makes, for a value type the binder does not know (an
     * entity in a combo box: its id). Call before {@link #setTopic}; the field is bound as usual.
     */
    public <V> PubSubBinder<BEAN> shareAs(HasValue<?, V> field, SerializableFunction<? super V, String> toText,
                                          SerializableFunction<String, ? extends V> fromText) {
        declared.put(Objects.requireNonNull(field, "field"), FieldCodec.custom(toText, fromText));
        return this;
    }

    /**
     * Opens the item {@code topic} names (null: none) for this page, now if {@code owner} is attached, else at its
     * attach: the fields show the item's shared values, the first editor's {@code seed} where there are none yet.
     *
     * <p>The {@code TopicAuthorizer} is asked about the item's topic ({@code JOIN}, {@code READ_SIGNAL}, and
     * {@code WRITE_SIGNAL} when this page seeds it or a field is changed) and about each field's topic,
     * {@code topic + "#" + key} ({@code SUBSCRIBE} when the item opens, {@code JOIN} when the user enters the field).
     *
     * @throws IllegalArgumentException if a bound field cannot be shared (no name, or a value type it cannot write)
     * <p>Opening writes once (the missing values and an expiry token); a page whose write is refused (it may not write
     * the item, or is over its send budget) opens the item without it, its fields showing its own bean where the item
     * has no value yet.
     *
     * @throws dev.flowpubsub.PubSubAccessDeniedException if the {@code TopicAuthorizer} refuses this page the item
     */
    public void setTopic(@Nullable String topic, SerializableSupplier<BEAN> seed) {
        this.seed = Objects.requireNonNull(seed, "seed");
        if (topic == null) {
            clearTopic();
        } else {
            this.topic.retarget(topic);
        }
    }

    /** Closes the item open, if any: this page leaves it (its presence first, then the item's expiry starts). */
    public void clearTopic() {
        this.topic.retarget(null);
        close();
    }

    /** The item open, or null. */
    public @Nullable String getTopic() {
        return topic.target();
    }

    /**
     * How long an item's shared values outlive its last editor (measured from the last one leaving, on any server);
     * one minute by default. {@link Duration#ZERO} keeps them until the application clears them, as Collaboration
     * Kit did by default. Delays over a day count as a day.
     */
    public void setExpiration(Duration expiration) {
        if (Objects.requireNonNull(expiration, "expiration").isNegative()) {
            throw new IllegalArgumentException("expiration must not be negative: " + expiration);
        }
        this.expiration = expiration;
    }

    /** The user this page edits as. */
    public UserInfo getLocalUser() {
        return user;
    }

    /** Who else is in {@code field} now, as its marker shows them; empty when no item is open. */
    public List<UserInfo> getEditors(HasValue<?, ?> field) {
        OpenItem item = open;
        SharedField<?> shared = item == null ? null : item.fields.get(field);
        return shared == null ? List.of() : shared.editors();
    }

    private void open(PubSub pubsub, String name) {
        close();
        Map<HasValue<?, ?>, SharedField<?>> fields = new LinkedHashMap<>();
        getFields().forEach(field -> fields.put(field, shared(field, name)));
        PubSubHub hub = pubsub.getHub();
        pubsub.join(name, Wire.user(user));
        SharedMapSignal<String> values = hub.signals().map(name, String.class);
        SerializableSupplier<BEAN> from = Objects.requireNonNull(seed, "seed");
        super.readBean(from.get());
        fields.values().forEach(SharedField::checkSeedType);
        seed(name, values, fields.values());
        try {
            fields.values().forEach(field -> field.open(pubsub, values));
        } catch (RuntimeException refused) {
            fields.values().forEach(SharedField::close); // what opened before the refusal, such as a marker listener
            throw refused;
        }
        Registration effect = Signal.effect(owner, () -> {
            Map<String, SharedValueSignal<String>> now = values.get();
            fields.values().forEach(field -> field.sharedValue(now.get(field.key())));
        });
        open = new OpenItem(name, hub, values, fields, effect);
    }

    /**
     * One write: the values of the fields the item has none for (the first editor: every field; a field added since:
     * that one), and a fresh expiry token, so that an older expiry check clears nothing under this page. A page whose
     * write is refused (it may not write the item, or is over its send budget) opens the item without it.
     */
    private static void seed(String name, SharedMapSignal<String> values, Collection<SharedField<?>> fields) {
        Map<String, SharedValueSignal<String>> held = values.peekConfirmed();
        try {
            Signal.runInTransaction(() -> {
                fields.stream().filter(field -> !held.containsKey(field.key()))
                        .forEach(field -> values.putIfAbsent(field.key(), field.seedValue()));
                values.put(ItemExpiry.KEY, ItemExpiry.token());
            });
        } catch (PubSubSignalRefusedException refused) {
            LOG.debug("Opened {} without seeding it: {}", name, refused.getMessage());
        }
    }

    private SharedField<?> shared(HasValue<?, ?> field, String itemTopic) {
        String key = keyOf(field);
        Class<?> typeFromBean = declared.containsKey(field) || FieldTypes.valueType(field) != null ? null
                : propertyType(key);
        return sharedField(field, key, codecOf(field, key), typeFromBean, itemTopic);
    }

    @SuppressWarnings("unchecked")
    private <V> SharedField<V> sharedField(HasValue<?, V> field, String key, FieldCodec<?> codec,
                                           @Nullable Class<?> typeFromBean, String itemTopic) {
        return new SharedField<>(field, key, (FieldCodec<V>) codec, typeFromBean, itemTopic, user);
    }

    private @Nullable Class<?> propertyType(String key) {
        return properties().stream().filter(property -> property.getName().equals(key))
                .<Class<?>>map(PropertyDefinition::getType).findFirst().orElse(null);
    }

    /**
     * Refused: the fields show the item's shared values, which {@link #setTopic} seeds from its bean; reading another
     * bean into them would show this page something nobody else sees.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void readBean(@Nullable BEAN bean) {
        throw new UnsupportedOperationException("a PubSubBinder's fields show the item's shared values: open an item "
                + "with setTopic(topic, seed), which reads the seed, and save with writeBean or writeBeanIfValid");
    }

    /**
     * Refused, as {@link #readBean}: a bean written on every change would be this page's alone.
     *
     * @throws UnsupportedOperationException always
     */
    @Override
    public void setBean(@Nullable BEAN bean) {
        throw new UnsupportedOperationException("a PubSubBinder's fields show the item's shared values: open an item "
                + "with setTopic(topic, seed), and save with writeBean or writeBeanIfValid");
    }

    private String keyOf(HasValue<?, ?> field) {
        for (PropertyDefinition<BEAN, ?> property : properties()) {
            if (getBinding(property.getName()).map(binding -> binding.getField().equals(field)).orElse(false)) {
                return property.getName();
            }
        }
        return ((Component) field).getId().orElseThrow(() -> new IllegalArgumentException("a "
                + field.getClass().getSimpleName() + " of this PubSubBinder is bound neither by a top-level property "
                + "name (forField(field).bind(\"name\"); nested ones such as \"address.street\" are not found) nor "
                + "has an id (setId): it cannot be shared"));
    }

    private FieldCodec<?> codecOf(HasValue<?, ?> field, String key) {
        FieldCodec<?> codec = declared.get(field);
        if (codec != null) {
            return codec;
        }
        Class<?> type = FieldTypes.valueType(field);
        if (type == null) {
            type = propertyType(key);
        }
        if (type == null) {
            throw new IllegalArgumentException("the shared field '" + key + "' (a " + field.getClass().getSimpleName()
                    + ") has a value type this binder cannot tell: give it with shareAs(field, toText, fromText)");
        }
        return FieldCodec.of(FieldTypes.boxed(type));
    }

    private List<PropertyDefinition<BEAN, ?>> properties() {
        return com.vaadin.flow.data.binder.BeanPropertySet.get(beanType).getProperties().toList();
    }

    private void close() {
        OpenItem item = open;
        open = null;
        if (item != null) {
            item.close(expiration);
        }
    }
}
