package dev.flowpubsub;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import java.util.List;

import static dev.flowpubsub.TopicAuthorizer.Action.SEND;
import static dev.flowpubsub.TopicAuthorizer.Action.SUBSCRIBE;

/**
 * The publish/subscribe of one page (one {@link UI}, one browser tab): Flet's {@code page.pubsub}.
 *
 * <pre>{@code
 * PubSub pubsub = PubSub.of(ui);                        // or PubSub.current() on a UI thread
 * pubsub.subscribe(String.class, text -> messages.add(new Paragraph(text)));
 * send.addClickListener(e -> pubsub.sendAll(name.getValue() + ": " + message.getValue()));
 * }</pre>
 *
 * <h2>What every call guarantees</h2>
 * <ul>
 * <li>Handlers run inside {@code ui.access(...)} of the page that subscribed, so component changes reach
 * the browser by server push ({@code @Push} on the {@code AppShellConfigurator}). Nothing like Flet's
 * {@code page.update()} is needed.</li>
 * <li>Sending returns at once and never runs a handler on the sender's thread, so a send from a click
 * listener cannot deadlock with other pages' session locks nor wait for slow pages.</li>
 * <li>Sends are charged to the page's browser session, whose budget all its tabs share (by default 10 messages a
 * second in bursts of 20, see {@link PubSubHubBuilder#sendBudget}): a send over budget, or one that finds the
 * hub's inbox full, throws {@link PubSubSendRefusedException} before anything is delivered. Server code sends
 * through {@link PubSubHub}, which is not budgeted.</li>
 * <li>{@code sendAll*} reaches the sending page too; {@code sendOthers*} skips only the sending page (another
 * tab of the same browser session still receives).</li>
 * <li>Every subscription of the page ends when its UI detaches: tab closed, session expired or invalidated,
 * as Flet does on {@code page.on_close}.</li>
 * </ul>
 * See {@link PubSubHub} for ordering, queue bounds and error reporting.
 *
 * <h2>Handlers</h2>
 * One-argument handlers get the message; two-argument handlers get the topic and the message. Lambdas always
 * fit. A method reference to an overloaded method (such as {@code list::add}) fits both and does not compile:
 * write {@code m -> list.add(m)}.
 *
 * <h2>Threading</h2>
 * Subscribing needs the page's session lock, as any change to its components does: call {@code subscribe*}
 * from a UI thread (a view constructor, a listener, {@code onAttach}) or inside {@code ui.access(...)}.
 * Sending and unsubscribing work from any thread. Instances are cheap views of the hub, not state: get one
 * whenever needed.
 */
@NullMarked
public final class PubSub {

    private final PubSubHub hub;
    private final UI ui;

    PubSub(PubSubHub hub, UI ui) {
        this.hub = hub;
        this.ui = ui;
    }

    /**
     * The PubSub of a page, on its Vaadin application's hub ({@link PubSubHub#get}).
     *
     * @param ui the page; must be attached to a session
     * @throws IllegalStateException if the UI is not attached to a session
     */
    public static PubSub of(UI ui) {
        Arguments.notNull(ui, "ui");
        VaadinSession session = ui.getSession();
        if (session == null) {
            throw new IllegalStateException("UI " + ui.getUIId() + " is not attached to a session (not yet "
                    + "initialized, or already closed): PubSub.of(ui) needs a live page");
        }
        return PubSubHub.get(session.getService()).pubSub(ui);
    }

    /**
     * The PubSub of the current page ({@link UI#getCurrent()}).
     *
     * @throws IllegalStateException when called outside a UI thread, where there is no current UI
     */
    public static PubSub current() {
        UI ui = UI.getCurrent();
        if (ui == null) {
            throw new IllegalStateException("there is no current UI on this thread: call PubSub.current() from a "
                    + "UI thread (a view, a listener, ui.access(...)), or use PubSub.of(ui), or PubSubHub to send "
                    + "from a background thread");
        }
        return of(ui);
    }

    /**
     * Subscriptions that follow {@code component}: taken when it attaches, removed when it detaches, taken again when
     * it attaches again. Where a view subscribes, this is the one to use: a page-scoped subscription taken in a
     * view's constructor lives as long as the page, so a view visited three times would hold three.
     *
     * <pre>{@code
     * PubSub.whileAttached(this).subscribeTopic(CHAT, message -> messages.add(render(message)));
     * }</pre>
     *
     * @see ComponentPubSub
     */
    public static ComponentPubSub whileAttached(Component component) {
        return new ComponentPubSub(Arguments.notNull(component, "component"));
    }

    /** The page this PubSub belongs to. */
    public UI getUI() {
        return ui;
    }

    /** The application-wide hub this page's PubSub is part of. */
    public PubSubHub getHub() {
        return hub;
    }

    // ---- subscribe ------------------------------------------------------------------------------

    /**
     * Flet's {@code subscribe(handler)}: receives every message sent with {@code sendAll} or
     * {@code sendOthers} (not topic messages).
     *
     * @return removes this handler; a second {@code remove()} does nothing
     * @throws IllegalStateException if the caller does not hold the page's session lock, or the UI is detached
     */
    public Registration subscribe(MessageHandler<Object> handler) {
        Arguments.handler(handler);
        return hub.dispatcher().subscribe(allowed("subscribe", SUBSCRIBE, null), null, null, withoutTopic(handler));
    }

    /**
     * Like {@link #subscribe(MessageHandler)}, receiving only messages that are instances of {@code type};
     * others are skipped for this handler.
     *
     * <pre>{@code pubsub.subscribe(ChatMessage.class, m -> messages.add(new Paragraph(m.text())));}</pre>
     */
    public <T> Registration subscribe(Class<T> type, MessageHandler<? super T> handler) {
        Arguments.type(type);
        Arguments.handler(handler);
        return hub.dispatcher().subscribe(allowed("subscribe", SUBSCRIBE, null), null, type, withoutTopic(handler));
    }

    /**
     * Flet's {@code subscribe_topic(topic, handler)} with a one-argument handler: receives every message
     * sent on {@code topic}.
     *
     * @param topic a non-blank name; topics are matched exactly (no wildcards)
     * @throws IllegalArgumentException if {@code topic} is blank
     */
    public Registration subscribeTopic(String topic, MessageHandler<Object> handler) {
        Arguments.topic(topic);
        Arguments.handler(handler);
        return hub.dispatcher().subscribe(allowed("subscribeTopic", SUBSCRIBE, topic), topic, null, withoutTopic(handler));
    }

    /** Flet's {@code subscribe_topic(topic, handler)}: the handler gets the topic and the message. */
    public Registration subscribeTopic(String topic, TopicMessageHandler<Object> handler) {
        Arguments.topic(topic);
        Arguments.handler(handler);
        return hub.dispatcher().subscribe(allowed("subscribeTopic", SUBSCRIBE, topic), topic, null, withTopic(handler));
    }

    /** Typed {@link #subscribeTopic(String, MessageHandler)}: only messages that are instances of {@code type}. */
    public <T> Registration subscribeTopic(String topic, Class<T> type, MessageHandler<? super T> handler) {
        Arguments.topic(topic);
        Arguments.type(type);
        Arguments.handler(handler);
        return hub.dispatcher().subscribe(allowed("subscribeTopic", SUBSCRIBE, topic), topic, type, withoutTopic(handler));
    }

    /** Typed {@link #subscribeTopic(String, TopicMessageHandler)}: only messages that are instances of {@code type}. */
    public <T> Registration subscribeTopic(String topic, Class<T> type, TopicMessageHandler<? super T> handler) {
        Arguments.topic(topic);
        Arguments.type(type);
        Arguments.handler(handler);
        return hub.dispatcher().subscribe(allowed("subscribeTopic", SUBSCRIBE, topic), topic, type, withTopic(handler));
    }

    /**
     * Every handler is kept in one form, with the topic: a one-argument handler is adapted here, once. The type
     * check has been made by then ({@code Subscription.accepts}), so the casts hold.
     */
    @SuppressWarnings("unchecked")
    private static TopicMessageHandler<Object> withoutTopic(MessageHandler<?> handler) {
        MessageHandler<Object> untyped = (MessageHandler<Object>) handler;
        return (topic, message) -> untyped.onMessage(message);
    }

    @SuppressWarnings("unchecked")
    private static TopicMessageHandler<Object> withTopic(TopicMessageHandler<?> handler) {
        return (TopicMessageHandler<Object>) handler;
    }

    // ---- beyond Flet: history and presence --------------------------------------------------------

    /**
     * Like {@link #subscribeTopic(String, Class, MessageHandler)}, first handing the handler the topic's history:
     * its last messages as kept by the hub's {@link HistoryPolicy} (none unless configured), in order, then every
     * live message, with no gap and no repeat between the two. With a transport the history includes messages
     * sent on other nodes before this one started.
     *
     * <pre>{@code pubsub.subscribeTopicWithHistory("room:lobby", ChatMessage.class, m -> log.add(render(m)));}</pre>
     */
    public <T> Registration subscribeTopicWithHistory(String topic, Class<T> type, MessageHandler<? super T> handler) {
        Arguments.topic(topic);
        Arguments.type(type);
        Arguments.handler(handler);
        return hub.dispatcher().subscribeWithHistory(allowed("subscribeTopicWithHistory", SUBSCRIBE, topic), topic, type,
                withoutTopic(handler), null);
    }

    /** {@link #subscribeTopicWithHistory(String, Class, MessageHandler)} with a handler that gets the topic too. */
    public <T> Registration subscribeTopicWithHistory(String topic, Class<T> type, TopicMessageHandler<? super T> handler) {
        Arguments.topic(topic);
        Arguments.type(type);
        Arguments.handler(handler);
        return hub.dispatcher().subscribeWithHistory(allowed("subscribeTopicWithHistory", SUBSCRIBE, topic), topic, type,
                withTopic(handler), null);
    }

    /** For {@link ComponentPubSub}: a history subscription that resumes where {@code cursor} says. */
    <T> Registration subscribeTopicWithHistory(Topic<T> topic, MessageHandler<? super T> handler, HistoryCursor cursor) {
        return hub.dispatcher().subscribeWithHistory(allowed("subscribeTopicWithHistory", SUBSCRIBE, topic.name()),
                topic.name(), topic.type(), withoutTopic(handler), cursor);
    }

    /**
     * Makes this page present on a topic, described by {@code descriptor} (a user name, a small record), until
     * the registration is removed or the page detaches. Everyone can see it with {@link #presence} and
     * {@link #subscribePresence}, on every node. With a transport the descriptor must be encodable (see
     * {@link JsonCodec}), or this fails at the call.
     *
     * <pre>{@code PresenceRegistration here = pubsub.join("room:lobby", userName);  // here.presence().id() is mine}</pre>
     *
     * @throws IllegalArgumentException if the descriptor cannot be sent to the other nodes
     */
    public PresenceRegistration join(String topic, Object descriptor) {
        Arguments.topic(topic);
        Arguments.notNull(descriptor, "descriptor");
        UI page = allowed("join", TopicAuthorizer.Action.JOIN, topic);
        hub.checkEncodable(descriptor, "the presence descriptor of type " + descriptor.getClass().getName());
        return hub.dispatcher().join(page, topic, descriptor);
    }

    /**
     * Follows who joins and leaves a topic: the handler first gets a {@link PresenceEvent.Kind#PRESENT} for everyone
     * present when it subscribes, then each {@code JOIN} and {@code LEAVE} as it happens, inside this page's
     * {@code ui.access}, with nothing missed or repeated in between.
     */
    public Registration subscribePresence(String topic, MessageHandler<PresenceEvent> handler) {
        Arguments.topic(topic);
        Arguments.handler(handler);
        return hub.dispatcher().subscribePresence(allowed("subscribePresence", SUBSCRIBE, topic), topic, handler);
    }

    /**
     * Who is present on a topic now, on every node, in the order they joined. Any thread. Asks the
     * {@link TopicAuthorizer} first, as for subscribing: a page that may not subscribe to a topic may not see who
     * is there either.
     *
     * @throws PubSubAccessDeniedException if the authorizer refuses
     */
    public List<Presence> presence(String topic) {
        Arguments.topic(topic);
        hub.authorize(ui, SUBSCRIBE, topic);
        return hub.presence(topic);
    }

    private UI allowed(String call, TopicAuthorizer.Action action, @Nullable String topic) {
        UI locked = lockedUi(call);
        hub.authorize(locked, action, topic);
        return locked;
    }

    private UI lockedUi(String call) {
        VaadinSession session = ui.getSession();
        if (session == null) {
            throw new IllegalStateException("UI " + ui.getUIId() + " is detached (closed or its session ended): "
                    + "it can no longer " + call);
        }
        VaadinPageAccess.requireSessionLock(ui, session, call);
        return ui;
    }


    // ---- send -----------------------------------------------------------------------------------

    /**
     * Flet's {@code send_all(message)}: to every page's broadcast handlers, this page's included. Returns at once.
     *
     * @throws PubSubSendRefusedException if this page's browser session is over its send budget, or the hub's inbox
     *                                    is full; nothing was sent
     */
    public void sendAll(Object message) {
        Arguments.message(message);
        hub.authorize(ui, SEND, null);
        hub.send(ui, null, message, false);
    }

    /**
     * Flet's {@code send_all_on_topic(topic, message)}: to every page's handlers on {@code topic}, this page's
     * included.
     *
     * @throws PubSubSendRefusedException as {@link #sendAll}
     */
    public void sendAllOnTopic(String topic, Object message) {
        Arguments.topic(topic);
        Arguments.message(message);
        hub.authorize(ui, SEND, topic);
        hub.send(ui, topic, message, false);
    }

    /**
     * Flet's {@code send_others(message)}: like {@link #sendAll} but skipping this page (only this page).
     *
     * @throws PubSubSendRefusedException as {@link #sendAll}
     */
    public void sendOthers(Object message) {
        Arguments.message(message);
        hub.authorize(ui, SEND, null);
        hub.send(ui, null, message, true);
    }

    /**
     * Flet's {@code send_others_on_topic(topic, message)}: like {@link #sendAllOnTopic} but skipping this page.
     *
     * @throws PubSubSendRefusedException as {@link #sendAll}
     */
    public void sendOthersOnTopic(String topic, Object message) {
        Arguments.topic(topic);
        Arguments.message(message);
        hub.authorize(ui, SEND, topic);
        hub.send(ui, topic, message, true);
    }

    /**
     * {@link #sendAllOnTopic(String, Object)} on a typed topic: to every page's handlers on it, this page's included.
     *
     * <pre>{@code send.addClickListener(e -> PubSub.current().sendAllOnTopic(CHAT, new ChatMessage(user, text)));}</pre>
     *
     * @throws IllegalArgumentException   if {@code message} is not of the topic's type (past the compiler's check)
     * @throws PubSubSendRefusedException as {@link #sendAll}
     */
    public <T> void sendAllOnTopic(Topic<T> topic, T message) {
        Arguments.notNull(topic, "topic");
        sendAllOnTopic(topic.name(), topic.check(message));
    }

    /**
     * {@link #sendOthersOnTopic(String, Object)} on a typed topic: like {@link #sendAllOnTopic(Topic, Object)} but
     * skipping this page.
     *
     * @throws IllegalArgumentException   if {@code message} is not of the topic's type (past the compiler's check)
     * @throws PubSubSendRefusedException as {@link #sendAll}
     */
    public <T> void sendOthersOnTopic(Topic<T> topic, T message) {
        Arguments.notNull(topic, "topic");
        sendOthersOnTopic(topic.name(), topic.check(message));
    }

    // ---- unsubscribe ----------------------------------------------------------------------------

    /** Flet's {@code unsubscribe()}: removes this page's broadcast handlers; its topic handlers stay. */
    public void unsubscribe() {
        hub.dispatcher().unsubscribe(ui);
    }

    /** Flet's {@code unsubscribe_topic(topic)}: removes this page's handlers on {@code topic}. */
    public void unsubscribeTopic(String topic) {
        hub.dispatcher().unsubscribeTopic(ui, Arguments.topic(topic));
    }

    /**
     * Flet's {@code unsubscribe_all()}: removes every handler of this page and drops its pending messages.
     * Done automatically when the UI detaches.
     */
    public void unsubscribeAll() {
        hub.dispatcher().unsubscribeAll(ui);
    }

    /** How many handlers this page holds, broadcast and topics together. */
    public int subscriptionCount() {
        return hub.dispatcher().subscriptionCount(ui);
    }

    @Override
    public String toString() {
        return "PubSub[UI " + ui.getUIId() + "]";
    }
}
