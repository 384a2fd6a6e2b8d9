package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinContext;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.Dispatcher.Sender;
import dev.flowpubsub.spi.MessageCodec;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.TransportHealth;
import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The application-wide publish/subscribe hub: every page's {@link PubSub} is a view of it, and code with
 * no page (a service, a scheduler) sends through it directly.
 *
 * <pre>{@code
 * PubSubHub hub = PubSubHub.get(service);             // or PubSubHub.current(), or inject it with Spring
 * hub.sendAllOnTopic("prices", new Price("ACME", 42));
 * }</pre>
 *
 * <p>Every Vaadin application gets one with no configuration: {@link #get(VaadinService)} creates it on
 * first use and closes it when the service is destroyed. To configure it, build one and
 * {@link PubSubHubBuilder#install install} it from a {@code VaadinServiceInitListener}; with Spring Boot, the
 * {@code flow-pubsub-spring-boot-starter} does this from {@code pubsub.*} properties.
 *
 * <h2>Guarantees</h2>
 * Sending never blocks and never runs a handler on the sender's thread; each sender's messages reach every page in
 * order; each page has its own bounded queue; what is pending for a page is handled in one {@code ui.access(...)};
 * a failing handler stops nothing else; a page that goes away leaves nothing behind; a browser session's sends are
 * budgeted and the inbox is bounded. The whole statement, with every limit and what happens when it is reached, is
 * the project's {@code docs/guarantees.md}; each {@link PubSubHubBuilder} method says what its setting changes.
 *
 * <h2>Threading</h2>
 * All methods may be called from any thread. Handlers run inside their page's {@code ui.access(...)}.
 */
@NullMarked
public final class PubSubHub implements AutoCloseable {

    /** Guards finding or installing the hub of a Vaadin context (a lock, not a monitor: close() may wait in it). */
    private static final ReentrantLock CONTEXT_LOCK = new ReentrantLock();

    private final Dispatcher dispatcher;
    /** Where this node's messages go first: to its pages only, or to them and the other nodes. Never null. */
    private final Outbound outbound;
    private final TopicAuthorizer authorizer;
    private final boolean createdByDefault;
    private final @Nullable MessageCodec codec;
    private final SignalSettings signalSettings;
    /** Made when the first shared signal is asked for: it starts a thread and reads the engine's signal log. */
    private @Nullable ClusterSignals signals;
    private final ReentrantLock signalsLock = new ReentrantLock();
    private boolean signalsClosed;

    /** Built in one direction: the outbound path, the dispatcher on it, then the path started on the dispatcher. */
    PubSubHub(PubSubHubBuilder builder, boolean createdByDefault) {
        Transport transport = builder.transport;
        this.outbound = transport == null ? new LocalOutbound()
                : new Cluster(builder.nodeId, transport, builder.codec != null ? builder.codec : JsonCodec.allowing(),
                        builder.maxMessageBytes, builder.presenceHeartbeat);
        this.authorizer = builder.authorizer;
        this.createdByDefault = createdByDefault;
        this.codec = transport == null ? null : builder.codec != null ? builder.codec : JsonCodec.allowing();
        this.signalSettings = builder.signalSettings;
        try {
            this.dispatcher = new Dispatcher(new DispatcherSettings(builder.queueCapacity, builder.overflowPolicy,
                    builder.executor, builder.errorHandler, builder.historyPolicy, builder.minBatchInterval,
                    builder.maxLanes, builder.inboxCapacity, builder.sendTimeout, builder.sendRate, builder.sendBurst,
                    builder.presenceDisconnectGrace, builder.historyTopics), outbound);
        } catch (RuntimeException e) {
            outbound.close(() -> { }); // the hub owns its transport from the builder on, started or not
            throw e;
        }
        try {
            outbound.start(dispatcher);
            dispatcher.started();
        } catch (RuntimeException e) {
            dispatcher.close();
            outbound.close(() -> { });
            throw e;
        }
    }

    /** A builder for a configured hub. */
    public static PubSubHubBuilder builder() {
        return new PubSubHubBuilder();
    }

    /**
     * The hub of a Vaadin application: the installed one, or else a default one, created on first call and
     * closed when the service is destroyed.
     */
    public static PubSubHub get(VaadinService service) {
        Arguments.notNull(service, "service");
        VaadinContext context = service.getContext();
        PubSubHub hub = context.getAttribute(PubSubHub.class, () -> createDefault(service));
        if (!hub.isClosed()) {
            return hub;
        }
        CONTEXT_LOCK.lock();
        try {
            hub = context.getAttribute(PubSubHub.class);
            if (hub == null || (hub.isClosed() && hub.createdByDefault)) {
                // the previous default hub ended with an earlier service sharing this context
                hub = createDefault(service);
                context.setAttribute(PubSubHub.class, hub);
            }
            return hub;
        } finally {
            CONTEXT_LOCK.unlock();
        }
    }

    /**
     * The hub of the current Vaadin application ({@link VaadinService#getCurrent()}).
     *
     * @throws IllegalStateException outside a Vaadin request or UI thread
     */
    public static PubSubHub current() {
        VaadinService service = VaadinService.getCurrent();
        if (service == null) {
            throw new IllegalStateException("there is no current VaadinService on this thread: keep the hub from "
                    + "PubSubHub.get(service) (for example in a VaadinServiceInitListener), or inject the "
                    + "PubSubHub bean with the Spring Boot starter");
        }
        return get(service);
    }

    private static PubSubHub createDefault(VaadinService service) {
        PubSubHub hub = new PubSubHub(new PubSubHubBuilder(), true);
        service.addServiceDestroyListener(event -> hub.close());
        return hub;
    }

    /**
     * Makes {@code hub} the hub of a Vaadin application, for {@link #get} and {@link PubSub#of}. Call it
     * from a {@code VaadinServiceInitListener}, before any page subscribes.
     *
     * @param closeWithService whether to close the hub when the service is destroyed; pass {@code false}
     *                         when something else (a Spring context) owns its lifecycle
     * @throws IllegalStateException if another open hub is installed already
     */
    public static void install(VaadinService service, PubSubHub hub, boolean closeWithService) {
        Arguments.notNull(service, "service");
        Arguments.notNull(hub, "hub");
        VaadinContext context = service.getContext();
        CONTEXT_LOCK.lock();
        try {
            PubSubHub existing = context.getAttribute(PubSubHub.class);
            if (existing != null && existing != hub && !existing.isClosed()) {
                if (!existing.createdByDefault || existing.stats().subscribedUis() > 0) {
                    throw new IllegalStateException("another PubSubHub is already in use by this Vaadin "
                            + "application: install yours from a VaadinServiceInitListener, before any page subscribes");
                }
                existing.close();
            }
            context.setAttribute(PubSubHub.class, hub);
        } finally {
            CONTEXT_LOCK.unlock();
        }
        if (closeWithService) {
            service.addServiceDestroyListener(event -> hub.close());
        }
    }

    /** The PubSub of a page on this hub. Prefer {@link PubSub#of(UI)}, which finds the application's hub. */
    public PubSub pubSub(UI ui) {
        return new PubSub(this, Arguments.notNull(ui, "ui"));
    }

    /**
     * Flet's {@code send_all(message)} from code with no page: to every page's broadcast handlers. Returns at once,
     * unless the hub's inbox is full: then it waits for room, up to {@link PubSubHubBuilder#sendTimeout}.
     *
     * @throws PubSubSendRefusedException if the inbox stayed full for the whole send timeout
     */
    public void sendAll(Object message) {
        send(null, null, Arguments.message(message), false);
    }

    /**
     * Flet's {@code send_all_on_topic(topic, message)} from code with no page. Returns at once, unless the hub's
     * inbox is full (see {@link #sendAll}).
     *
     * @throws PubSubSendRefusedException if the inbox stayed full for the whole send timeout
     */
    public void sendAllOnTopic(String topic, Object message) {
        send(null, Arguments.topic(topic), Arguments.message(message), false);
    }

    /**
     * {@link #sendAllOnTopic(String, Object)} on a typed topic.
     *
     * <pre>{@code hub.sendAllOnTopic(Ticker.PRICES, new Price("ACME", 42.0));  // from a scheduler, say}</pre>
     *
     * @throws IllegalArgumentException   if {@code message} is not of the topic's type (past the compiler's check)
     * @throws PubSubSendRefusedException if the inbox stayed full for the whole send timeout
     */
    public <T> void sendAllOnTopic(Topic<T> topic, T message) {
        Arguments.notNull(topic, "topic");
        send(null, topic.name(), topic.check(message), false);
    }

    /**
     * Every send ends here, its arguments checked: locally only, or locally and to the other nodes.
     *
     * @param page     the sending page, charged to its session's send budget; {@code null} for server code
     * @param skipPage whether the sending page is left out ({@code sendOthers*})
     */
    void send(@Nullable UI page, @Nullable String topic, Object message, boolean skipPage) {
        Sender sender = Sender.SERVER;
        if (page != null) {
            sender = Sender.PAGE;
            dispatcher.chargeBudget(page);
        }
        outbound.send(topic, message, skipPage ? page : null, sender);
    }

    /**
     * This node's id in the cluster, or empty when the hub has no transport (it is local to this server).
     */
    public Optional<String> nodeId() {
        return outbound.configuredNodeId();
    }

    /** The transport's state (reachable or not, what is buffered), or empty when the hub has no transport. */
    public Optional<TransportHealth> transportHealth() {
        return outbound.health();
    }

    /**
     * Who is present on a topic now, on every node, in the order they joined (see {@link PubSub#join}). A snapshot:
     * to follow changes, use {@link PubSub#subscribePresence}. Joins and leaves are applied by the fan-out, in order
     * with the messages sent before them, so one made a moment ago may not show yet; in tests,
     * {@code PubSubTesting.deliverPending()} (or {@link #awaitIdle}) waits until it does.
     */
    public List<Presence> presence(String topic) {
        return dispatcher.present(Arguments.topic(topic));
    }

    /** Asks the application's {@link TopicAuthorizer}; throws if it refuses. */
    void authorize(UI ui, TopicAuthorizer.Action action, @Nullable String topic) {
        if (!authorizer.allows(ui, action, topic)) {
            throw new PubSubAccessDeniedException(ui.getUIId(), action, topic);
        }
    }

    /** With a transport: fails at the call if the value cannot travel to the other nodes. */
    void checkEncodable(Object value, String what) {
        outbound.checkEncodable(value, what);
    }

    /** How many messages may wait for one page before {@link #overflowPolicy()} applies. */
    public int queueCapacity() {
        return dispatcher.queueCapacity();
    }

    /** What a full page queue does with a new message. */
    public OverflowPolicy overflowPolicy() {
        return dispatcher.overflowPolicy();
    }

    /** The most delivery lanes that run at once (see {@link PubSubHubBuilder#maxLanes}). */
    public int maxLanes() {
        return dispatcher.maxLanes();
    }

    /** The most messages the hub's inbox holds before sends are refused or wait (see {@link PubSubHubBuilder#inboxCapacity}). */
    public int inboxCapacity() {
        return dispatcher.inboxCapacity();
    }

    /** The shortest time between two batches of one page; zero when a batch starts as soon as a lane is free. */
    public Duration minBatchInterval() {
        return Duration.ofNanos(dispatcher.minBatchIntervalNanos());
    }

    /**
     * Tells {@code listener} how late messages reach their handlers and how far the transport's reader is behind,
     * until the registration is removed. {@link dev.flowpubsub.micrometer.PubSubMetrics} adds one for its timers.
     *
     * @param listener called on the hub's threads; must be quick and must not block (see {@link LatencyListener})
     * @return removes the listener
     */
    public Registration addLatencyListener(LatencyListener listener) {
        return dispatcher.latencies().add(Arguments.notNull(listener, "listener"));
    }

    /** Counters and gauges of this hub, for monitoring and tests. */
    public PubSubStats stats() {
        return dispatcher.stats();
    }

    /**
     * Waits until every message sent so far has been fanned out and each receiving page's batch has run
     * or been handed to its session (where it runs as soon as the session's current lock holder releases
     * it), including batches held back by a {@link PubSubHubBuilder#minBatchInterval minimum batch interval}, and until
     * each shared signal write made on this node so far is confirmed (or refused) and the effects it starts have run or
     * been handed to their sessions (a node whose reader lags behind its own writes keeps it waiting); while the engine does
     * not answer, its writes are not waited for. Presence changes
     * gathered to be told to the other nodes at the end of their window are told now. Meant for
     * tests and orderly shutdown; a running application never needs it.
     *
     * @return {@code false} if the timeout passed first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return IdleWait.await(dispatcher, this::signalsSettled, Arguments.notNull(timeout, "timeout"));
    }

    private boolean signalsSettled() {
        signalsLock.lock();
        try {
            return signals == null || signalsClosed || signals.settled();
        } finally {
            signalsLock.unlock();
        }
    }

    /** Whether {@link #close()} was called (or the service of a default hub was destroyed). */
    public boolean isClosed() {
        return dispatcher.isClosed();
    }

    /**
     * Ends every subscription, drops pending messages and stops the hub's own threads. Later sends and
     * subscribes fail with {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        signalsLock.lock();
        try {
            signalsClosed = true; // no replica starts after this, even before the dispatcher says it is closed
            if (signals != null) {
                signals.close();
            }
        } finally {
            signalsLock.unlock();
        }
        outbound.close(dispatcher::leaveAll); // with other nodes: they hear this node's leaves before it goes
        dispatcher.close();
    }

    /**
     * Vaadin's shared signals by name, on this hub's engine (in memory without one).
     *
     * @throws UnsupportedOperationException if the hub's transport carries no shared signals
     * @throws IllegalStateException         if the hub is closed
     */
    public ClusterSignals signals() {
        signalsLock.lock();
        try {
            if (signalsClosed || isClosed()) {
                throw new IllegalStateException("the hub is closed");
            }
            if (signals == null) {
                signals = ClusterSignals.start(outbound, signalSettings, authorizer, codec, dispatcher);
            }
            return signals;
        } finally {
            signalsLock.unlock();
        }
    }

    /**
     * This node's shared signals' stats, if a shared signal was made on this hub: asking does not start them (no
     * thread, no engine tables), so meters and health can read it freely.
     */
    public Optional<SignalStats> signalStats() {
        signalsLock.lock();
        try {
            return signals == null || signalsClosed ? Optional.empty() : Optional.of(signals.stats());
        } finally {
            signalsLock.unlock();
        }
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public String toString() {
        return "PubSubHub" + stats();
    }
}
