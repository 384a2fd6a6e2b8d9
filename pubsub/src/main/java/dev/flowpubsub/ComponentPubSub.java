package dev.flowpubsub;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.function.SerializableRunnable;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.spi.Arguments;
import org.jspecify.annotations.NullMarked;

/**
 * Subscriptions that follow a component, from {@link PubSub#whileAttached(Component)}: each is taken on the
 * component's page when the component attaches, removed when it detaches, and taken again when it attaches again,
 * as Vaadin's shared signals bind their effects. A view that is left and visited again, or a component that is
 * removed and added back, never holds more than one subscription per call, and nothing of it stays in the hub while
 * it is detached.
 *
 * <pre>{@code
 * public static final Topic<ChatMessage> CHAT = Topic.of("chat", ChatMessage.class);
 *
 * public ChatView() {
 *     PubSub.whileAttached(this).subscribeTopic(CHAT, message -> messages.add(render(message)));
 * }
 * }</pre>
 *
 * <p>Each call returns a {@link Registration} whose {@code remove()} ends it for good (unsubscribed now if
 * attached; the next attach does not subscribe again). Arguments are checked at the call. Called while the
 * component is attached, the subscription is taken at once, so what the page may not do (see
 * {@link TopicAuthorizer}) fails at the call; called before (in a view's constructor, the usual place), it is taken
 * at the first attach, and a refusal is then thrown from that attach.
 *
 * <h2>Threading</h2>
 * Call it, and {@code remove()} what it returns, from a UI thread (a constructor, a listener) or inside
 * {@code ui.access(...)}: attach and detach run with the page's session lock held, as do the handlers, which run
 * inside the page's {@code ui.access(...)} as for {@link PubSub}. Instances are cheap and hold nothing but the
 * component.
 */
@NullMarked
public final class ComponentPubSub {

    private final Component component;

    ComponentPubSub(Component component) {
        this.component = component;
    }

    /**
     * Flet's {@code subscribe(handler)} while the component is attached: every message sent with {@code sendAll} or
     * {@code sendOthers} that is an instance of {@code type}.
     */
    public <T> Registration subscribe(Class<T> type, MessageHandler<? super T> handler) {
        Arguments.type(type);
        Arguments.handler(handler);
        return AttachedSubscription.bind(component, pubsub -> pubsub.subscribe(type, handler));
    }

    /** Flet's {@code subscribe_topic(topic, handler)} while the component is attached: every message on the topic. */
    public <T> Registration subscribeTopic(Topic<T> topic, MessageHandler<? super T> handler) {
        Arguments.notNull(topic, "topic");
        Arguments.handler(handler);
        return AttachedSubscription.bind(component, pubsub -> pubsub.subscribeTopic(topic.name(), topic.type(), handler));
    }

    /**
     * Like {@link #subscribeTopic}, first handing the handler the topic's history (see
     * {@link PubSub#subscribeTopicWithHistory(String, Class, MessageHandler)}), then live messages, with no gap and
     * no repeat. Attached again, the component resumes after the last message it was handed, if the history still
     * holds it: it misses nothing sent while it was detached and sees nothing twice. If the history has moved past
     * it, it gets the history from its start again, which repeats what it saw and misses what left the history: use
     * {@link #subscribeTopicWithHistory(Topic, MessageHandler, SerializableRunnable)} to be told, and clear what it
     * shows. A topic that keeps no history resumes with live messages only.
     */
    public <T> Registration subscribeTopicWithHistory(Topic<T> topic, MessageHandler<? super T> handler) {
        return subscribeTopicWithHistory(topic, handler, null);
    }

    /**
     * {@link #subscribeTopicWithHistory(Topic, MessageHandler)}, calling {@code fromStart} inside the page's access
     * before the history is handed from its start again because the message the component last saw has left it:
     * a view showing the messages clears them there.
     *
     * <pre>{@code
     * PubSub.whileAttached(this).subscribeTopicWithHistory(ROOM, m -> log.add(render(m)), log::removeAll);
     * }</pre>
     */
    public <T> Registration subscribeTopicWithHistory(Topic<T> topic, MessageHandler<? super T> handler,
            @org.jspecify.annotations.Nullable SerializableRunnable fromStart) {
        Arguments.notNull(topic, "topic");
        Arguments.handler(handler);
        HistoryCursor cursor = new HistoryCursor(fromStart);
        return AttachedSubscription.bind(component, pubsub -> pubsub.subscribeTopicWithHistory(topic, handler, cursor));
    }

    /**
     * Makes the component's page present on a topic while the component is attached (see {@link PubSub#join}): it
     * joins at each attach, with a new {@link Presence} entry, and leaves at each detach.
     *
     * @throws IllegalArgumentException if the descriptor cannot be sent to the other nodes (checked at the call when
     *                                  the application's hub is known then)
     */
    public Registration join(Topic<?> topic, Object descriptor) {
        Arguments.notNull(topic, "topic");
        Arguments.notNull(descriptor, "descriptor");
        VaadinService service = VaadinService.getCurrent();
        if (service != null) {
            PubSubHub.get(service).checkEncodable(descriptor,
                    "the presence descriptor of type " + descriptor.getClass().getName());
        }
        return AttachedSubscription.bind(component, pubsub -> pubsub.join(topic.name(), descriptor));
    }

    /**
     * Follows who joins and leaves a topic while the component is attached (see {@link PubSub#subscribePresence}):
     * at each attach the handler first gets everyone present then ({@link PresenceEvent.Kind#PRESENT}), then each
     * join and leave.
     */
    public Registration subscribePresence(Topic<?> topic, MessageHandler<PresenceEvent> handler) {
        Arguments.notNull(topic, "topic");
        Arguments.handler(handler);
        return AttachedSubscription.bind(component, pubsub -> pubsub.subscribePresence(topic.name(), handler));
    }

    @Override
    public String toString() {
        return "ComponentPubSub[" + component.getClass().getSimpleName() + "]";
    }
}
