package dev.flowpubsub;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.function.SerializableBiConsumer;
import com.vaadin.flow.function.SerializableRunnable;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import java.io.Serial;
import java.io.Serializable;

import static dev.flowpubsub.TopicAuthorizer.Action.JOIN;
import static dev.flowpubsub.TopicAuthorizer.Action.SUBSCRIBE;

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
 * <p>Call it once, where the component is built (a view's constructor): each call binds one more subscription, so
 * calling it from {@code onAttach} would add one per attach. Each call returns a {@link Registration} whose
 * {@code remove()} ends it for good (unsubscribed now if attached; the next attach does not subscribe again).
 * Arguments are checked at the call, and so is what the page may do (see {@link TopicAuthorizer}): the current page
 * is asked before the first attach, and the component's page when it is attached. Should the authorizer refuse at a
 * later attach, the refusal is thrown from that attach.
 *
 * <p>The page-scoped {@code unsubscribe*} verbs of {@link PubSub} end these subscriptions too, until the component
 * attaches again. Vaadin may serialize the component with its session: read back, what it holds does nothing and
 * does not subscribe again (its handlers, usually lambdas, are not serialized; see {@link Subscription}).
 *
 * <h2>Threading</h2>
 * Call it, and {@code remove()} what it returns, from a UI thread (a constructor, a listener) or inside
 * {@code ui.access(...)}: attach and detach run with the page's session lock held, as do the handlers, which run
 * inside the page's {@code ui.access(...)} as for {@link PubSub}. Instances are cheap and hold nothing but the
 * component.
 */
@NullMarked
public final class ComponentPubSub implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

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
        authorizeAhead(SUBSCRIBE, null);
        return AttachedSubscription.bind(component, pubsub -> pubsub.subscribe(type, handler));
    }

    /** Flet's {@code subscribe_topic(topic, handler)} while the component is attached: every message on the topic. */
    public <T> Registration subscribeTopic(Topic<T> topic, MessageHandler<? super T> handler) {
        Arguments.notNull(topic, "topic");
        Arguments.handler(handler);
        authorizeAhead(SUBSCRIBE, topic.name());
        return AttachedSubscription.bind(component, pubsub -> pubsub.subscribeTopic(topic.name(), topic.type(), handler));
    }

    /**
     * Like {@link #subscribeTopic}, first handing the handler the topic's history (see
     * {@link PubSub#subscribeTopicWithHistory(String, Class, MessageHandler)}), then live messages, with no gap and
     * no repeat. Attached again, the component resumes after the last message it was handed, if the history still
     * holds it: it misses nothing sent while it was detached and sees nothing twice (nor the messages its own page
     * sent with {@code sendOthers}, which the page is never handed). If more messages came meanwhile than the history
     * keeps, it gets the history from its start again, which repeats what it saw and misses what left the history: use
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
            @Nullable SerializableRunnable fromStart) {
        Arguments.notNull(topic, "topic");
        Arguments.handler(handler);
        authorizeAhead(SUBSCRIBE, topic.name());
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
        authorizeAhead(JOIN, topic.name());
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
        authorizeAhead(SUBSCRIBE, topic.name());
        return AttachedSubscription.bind(component, pubsub -> pubsub.subscribePresence(topic.name(), handler));
    }

    /**
     * Subscriptions that follow the component and a target that changes while it stays attached, such as the room a
     * route parameter names: {@code subscriptions} takes them through the page's {@link PubSub} for a target, and
     * {@link Retargetable#retarget} moves them to another. Call it once, where the component is built; nothing is
     * taken until a target is set. See {@link Retargetable}.
     *
     * <pre>{@code
     * private final Retargetable<String> room = PubSub.whileAttached(this).retargetable((pubsub, name) -> {
     *     messages.removeAll();
     *     pubsub.subscribeTopicWithHistory("room:" + name, ChatMessage.class, this::show);
     * });
     * }</pre>
     *
     * @param <K> the target: a room's name, a document's id
     */
    public <K> Retargetable<K> retargetable(SerializableBiConsumer<PubSub, ? super K> subscriptions) {
        Arguments.notNull(subscriptions, "subscriptions");
        return new Retargetable<>(component, subscriptions);
    }

    /**
     * Before the component's first attach (in a view's constructor), asks the {@link TopicAuthorizer} about the
     * current page, where the component is about to be shown, so that a refusal fails this call rather than the
     * attach. Attached, the subscription is taken at once and asked then.
     */
    private void authorizeAhead(TopicAuthorizer.Action action, @Nullable String topic) {
        UI page = UI.getCurrent();
        if (!component.isAttached() && page != null && page.getSession() != null) {
            PubSubHub.get(page.getSession().getService()).authorize(page, action, topic);
        }
    }

    @Override
    public String toString() {
        return "ComponentPubSub[" + component.getClass().getSimpleName() + "]";
    }
}
