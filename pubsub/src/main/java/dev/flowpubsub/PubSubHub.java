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
import java.util.UUID;
import java.util.concurrent.Executor;
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
 * {@link Builder#install install} it from a {@code VaadinServiceInitListener}; with Spring Boot, the
 * {@code flow-pubsub-spring-boot-starter} does this from {@code pubsub.*} properties.
 *
 * <h2>Guarantees</h2>
 * Sending never blocks and never runs a handler on the sender's thread; each sender's messages reach every page in
 * order; each page has its own bounded queue; what is pending for a page is handled in one {@code ui.access(...)};
 * a failing handler stops nothing else; a page that goes away leaves nothing behind; a browser session's sends are
 * budgeted and the inbox is bounded. The whole statement, with every limit and what happens when it is reached, is
 * the project's {@code docs/guarantees.md}; each {@link Builder} method says what its setting changes.
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

    /** Built in one direction: the outbound path, the dispatcher on it, then the path started on the dispatcher. */
    private PubSubHub(Builder builder, boolean createdByDefault) {
        Transport transport = builder.transport;
        this.outbound = transport == null ? new LocalOutbound()
                : new Cluster(builder.nodeId, transport, builder.codec != null ? builder.codec : JsonCodec.allowing(),
                        builder.maxMessageBytes, builder.presenceHeartbeat);
        this.authorizer = builder.authorizer;
        this.createdByDefault = createdByDefault;
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
    public static Builder builder() {
        return new Builder();
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
        PubSubHub hub = new PubSubHub(new Builder(), true);
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
     * unless the hub's inbox is full: then it waits for room, up to {@link Builder#sendTimeout}.
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

    /** The most delivery lanes that run at once (see {@link Builder#maxLanes}). */
    public int maxLanes() {
        return dispatcher.maxLanes();
    }

    /** The most messages the hub's inbox holds before sends are refused or wait (see {@link Builder#inboxCapacity}). */
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
     * it), including batches held back by a {@link Builder#minBatchInterval minimum batch interval}. Meant for
     * tests and orderly shutdown; a running application never needs it.
     *
     * @return {@code false} if the timeout passed first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        return dispatcher.awaitIdle(Arguments.notNull(timeout, "timeout"));
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
        outbound.close(dispatcher::leaveAll); // with other nodes: they hear this node's leaves before it goes
        dispatcher.close();
    }

    Dispatcher dispatcher() {
        return dispatcher;
    }

    @Override
    public String toString() {
        return "PubSubHub" + stats();
    }

    /**
     * Configures a hub. Every setting has a default fit for most applications.
     *
     * <pre>{@code
     * public class PubSubSetup implements VaadinServiceInitListener {
     *     public void serviceInit(ServiceInitEvent event) {
     *         PubSubHub.builder().queueCapacity(256).install(event.getSource());
     *     }
     * }
     * }</pre>
     */
    public static final class Builder {

        /** Default bound of each page's queue of pending messages. */
        public static final int DEFAULT_QUEUE_CAPACITY = 1024;

        /** Default limit of one encoded message sent across nodes, in bytes (64 KiB). */
        public static final int DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024;

        /** Default cap on delivery lanes, per available processor. */
        public static final int DEFAULT_LANES_PER_CORE = 8;

        /** Default bound of the hub's inbox of messages not yet handed to pages. */
        public static final int DEFAULT_INBOX_CAPACITY = 10_000;

        /** Default time a send from server code waits for room in a full inbox. */
        public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(5);

        /** Default send budget of a browser session: messages per second, after the burst. */
        public static final double DEFAULT_SEND_RATE = 10;

        /** Default send budget of a browser session: messages at once. */
        public static final int DEFAULT_SEND_BURST = 20;

        /** Default interval of the heartbeat by which nodes tell each other their presence entries. */
        public static final Duration DEFAULT_PRESENCE_HEARTBEAT = Duration.ofSeconds(5);

        /** Default time a page's push connection may be lost before its presence ends. */
        public static final Duration DEFAULT_PRESENCE_DISCONNECT_GRACE = Duration.ofSeconds(15);

        private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
        private OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;
        private @Nullable Executor executor;
        private DeliveryErrorHandler errorHandler = Builder::logError;
        private @Nullable Transport transport;
        private @Nullable MessageCodec codec;
        private int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
        private String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
        private HistoryPolicy historyPolicy = HistoryPolicy.none();
        private TopicAuthorizer authorizer = TopicAuthorizer.allowAll();
        private Duration presenceHeartbeat = DEFAULT_PRESENCE_HEARTBEAT;
        private Duration minBatchInterval = Duration.ZERO;
        private int maxLanes = DEFAULT_LANES_PER_CORE * Runtime.getRuntime().availableProcessors();
        private int inboxCapacity = DEFAULT_INBOX_CAPACITY;
        private Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
        private double sendRate = DEFAULT_SEND_RATE;
        private int sendBurst = DEFAULT_SEND_BURST;
        private Duration presenceDisconnectGrace = DEFAULT_PRESENCE_DISCONNECT_GRACE;
        private int historyTopics = TopicHistories.MAX_TOPICS;

        private Builder() {
        }

        /**
         * How long a page's push connection may be lost before its presence entries end. A tab that closes leaves at
         * once; a browser that crashes, is killed or loses its network says nothing, and only its push connection
         * closes: once it has stayed closed this long, the page leaves every topic it joined, and joins them again if
         * it comes back later. A reconnect within the grace changes nothing. Its subscriptions stay until Vaadin
         * closes the UI (after three missed heartbeats, about 15 minutes by default: see the {@code heartbeatInterval}
         * setting). Only pages with server push are watched. Default 15 seconds; zero ends presence as soon as the
         * connection is lost.
         */
        public Builder presenceDisconnectGrace(Duration grace) {
            Arguments.notNull(grace, "presenceDisconnectGrace");
            if (grace.isNegative()) {
                throw new IllegalArgumentException("presenceDisconnectGrace must not be negative (got " + grace + ")");
            }
            this.presenceDisconnectGrace = grace;
            return this;
        }

        /**
         * The most delivery lanes that run at once; at least 1. A few lanes (one per core) run pages' batches; when
         * all are stuck on slow pages for 20 ms the watchdog adds one, up to this cap, so one blocking handler does
         * not hold up the others while a flood of them cannot start threads without end. Default
         * {@value #DEFAULT_LANES_PER_CORE} per available processor.
         */
        public Builder maxLanes(int maxLanes) {
            this.maxLanes = Arguments.positive(maxLanes, "maxLanes");
            return this;
        }

        /**
         * The most messages the hub's inbox holds before they are handed to pages' queues; at least 1. The fan-out
         * empties it far faster than any normal load fills it; when it is full, a page's send is refused with
         * {@link PubSubSendRefusedException} ({@code INBOX_FULL}), a send from server code waits up to
         * {@link #sendTimeout}, and a transport pauses reading from its engine. The hub's own presence and control
         * work is never refused. Default {@value #DEFAULT_INBOX_CAPACITY}.
         */
        public Builder inboxCapacity(int inboxCapacity) {
            this.inboxCapacity = Arguments.positive(inboxCapacity, "inboxCapacity");
            return this;
        }

        /**
         * How long a send from server code ({@link PubSubHub#sendAll}) waits for room in a full inbox before it
         * fails with {@link PubSubSendRefusedException}. Default 5 seconds; zero fails at once.
         */
        public Builder sendTimeout(Duration sendTimeout) {
            Arguments.notNull(sendTimeout, "sendTimeout");
            if (sendTimeout.isNegative()) {
                throw new IllegalArgumentException("sendTimeout must not be negative (got " + sendTimeout + ")");
            }
            this.sendTimeout = sendTimeout;
            return this;
        }

        /**
         * The send budget of each browser session, shared by all its tabs: {@code burst} messages at once, then
         * {@code messagesPerSecond}. A page's send over budget fails with {@link PubSubSendRefusedException}
         * ({@code SEND_BUDGET}), is counted in {@link PubSubStats#refused()} and is logged once per session. Sends
         * from server code through {@link PubSubHub} are not budgeted. Default {@value #DEFAULT_SEND_RATE} per
         * second in bursts of {@value #DEFAULT_SEND_BURST}: enough for people typing, not for a script.
         */
        public Builder sendBudget(double messagesPerSecond, int burst) {
            if (!(messagesPerSecond > 0) || Double.isInfinite(messagesPerSecond)) {
                throw new IllegalArgumentException("messagesPerSecond must be a positive number (got "
                        + messagesPerSecond + ")");
            }
            this.sendRate = messagesPerSecond;
            this.sendBurst = Arguments.positive(burst, "burst");
            return this;
        }

        /** No send budget: pages may send as fast as they like (only the inbox's bound applies). */
        public Builder noSendBudget() {
            this.sendRate = 0;
            return this;
        }

        /** How many messages may wait for one page before the overflow policy applies; at least 1. Default 1,024. */
        public Builder queueCapacity(int queueCapacity) {
            this.queueCapacity = Arguments.positive(queueCapacity, "queueCapacity");
            return this;
        }

        /**
         * The shortest time between two batches of one page. Default zero: a page's batch starts as soon as a lane
         * is free. With an interval, messages that arrive for a page sooner wait and are handled together in its
         * next batch, in order: one session lock and one push for all of them. Use it when many pages receive
         * several messages a second: each page then costs at most one push per interval, whatever the rate, at the
         * price of up to that much added latency per message. At most one minute. A batch held back by the
         * interval counts as pending: {@link PubSubHub#awaitIdle} and {@code PubSubTesting.deliverPending} wait
         * for it, so give them a timeout longer than the interval.
         *
         * <pre>{@code PubSubHub.builder().minBatchInterval(Duration.ofMillis(100)).install(service);}</pre>
         */
        public Builder minBatchInterval(Duration minBatchInterval) {
            Arguments.notNull(minBatchInterval, "minBatchInterval");
            if (minBatchInterval.isNegative() || minBatchInterval.compareTo(Duration.ofMinutes(1)) > 0) {
                throw new IllegalArgumentException(
                        "minBatchInterval must be between 0 and 1 minute (got " + minBatchInterval + ")");
            }
            this.minBatchInterval = minBatchInterval;
            return this;
        }

        /** What a full page queue does with a new message. Default {@link OverflowPolicy#DROP_OLDEST}. */
        public Builder overflowPolicy(OverflowPolicy overflowPolicy) {
            this.overflowPolicy = Arguments.notNull(overflowPolicy, "overflowPolicy");
            return this;
        }

        /**
         * Where the fan-out task and the delivery lanes run. Default: virtual threads owned by the hub and stopped
         * on {@link #close()}. An executor given here is not shut down by the hub; the watchdog adds lanes when
         * every lane is stuck on a slow page, so give it an executor that can start them (a pool of P threads lets
         * at most P lanes run at once, and a slow page can then hold up others). A task it refuses, or throws on, is
         * offered again shortly, not lost. It must run tasks on threads of its own: one that runs them on the
         * caller's thread ({@code Runnable::run}, a caller-runs policy) makes handlers run inside send calls.
         */
        public Builder executor(Executor executor) {
            this.executor = Arguments.notNull(executor, "executor");
            return this;
        }

        /** Who is told about failed handlers. Default: an ERROR log line with UI id, topic and message type. */
        public Builder errorHandler(DeliveryErrorHandler errorHandler) {
            this.errorHandler = Arguments.notNull(errorHandler, "errorHandler");
            return this;
        }

        /**
         * Connects the hub to the other nodes of a cluster: what is sent on any node reaches the pages of all of
         * them. The hub starts the transport when built and closes it when closed. Without a transport the hub
         * is local to this server.
         *
         * <pre>{@code PubSubHub.builder().transport(RedisTransport.create("redis://localhost:6379")).install(service);}</pre>
         */
        public Builder transport(Transport transport) {
            this.transport = Arguments.notNull(transport, "transport");
            return this;
        }

        /**
         * How messages are encoded for the transport. Default: {@link JsonCodec} with only its built-in types;
         * use {@code JsonCodec.allowing(YourRecord.class, ...)} to send your own types across nodes.
         */
        public Builder codec(MessageCodec codec) {
            this.codec = Arguments.notNull(codec, "codec");
            return this;
        }

        /** The largest encoded message sent across nodes; a larger one fails at the send. Default 64 KiB. */
        public Builder maxMessageBytes(int maxMessageBytes) {
            this.maxMessageBytes = Arguments.positive(maxMessageBytes, "maxMessageBytes");
            return this;
        }

        /**
         * This node's id in the cluster; default: a random one per hub. It must be unique among running nodes, or
         * they would take each other's messages for their own.
         */
        public Builder nodeId(String nodeId) {
            this.nodeId = Arguments.nonBlank(nodeId, "nodeId").strip();
            return this;
        }

        /**
         * Which topics keep their last messages for {@link PubSub#subscribeTopicWithHistory}. Default: none. With
         * a transport, give every node the same policy.
         */
        public Builder history(HistoryPolicy historyPolicy) {
            this.historyPolicy = Arguments.notNull(historyPolicy, "historyPolicy");
            return this;
        }

        /**
         * How many topics' histories the hub keeps at most (default 10,000); past that, the least recently used one
         * goes, and is read from the engine again when next subscribed to. Only tests change it.
         */
        Builder historyTopics(int historyTopics) {
            this.historyTopics = Arguments.positive(historyTopics, "historyTopics");
            return this;
        }

        /** Who may subscribe to, send on or join which topic. Default: everyone may do everything. */
        public Builder authorizer(TopicAuthorizer authorizer) {
            this.authorizer = Arguments.notNull(authorizer, "authorizer");
            return this;
        }

        /**
         * With a transport: how often each node tells the others it is alive, with its presence entries. The
         * entries of a node not heard from for three heartbeats are removed on the others. Default 5 seconds, so
         * a node that dies or loses the engine is gone from the others' presence within 15 seconds.
         */
        public Builder presenceHeartbeat(Duration presenceHeartbeat) {
            Arguments.notNull(presenceHeartbeat, "presenceHeartbeat");
            if (presenceHeartbeat.toMillis() < 100) {
                throw new IllegalArgumentException("presenceHeartbeat must be at least 100 ms (got " + presenceHeartbeat + ")");
            }
            this.presenceHeartbeat = presenceHeartbeat;
            return this;
        }

        /** A new hub, installed nowhere: for Spring beans, tests and benchmarks. Close it when done. */
        public PubSubHub build() {
            return new PubSubHub(this, false);
        }

        /**
         * Builds the hub and makes it the hub of a Vaadin application, closed with the service. Call from
         * a {@code VaadinServiceInitListener}.
         */
        public PubSubHub install(VaadinService service) {
            PubSubHub hub = build();
            PubSubHub.install(service, hub, true);
            return hub;
        }

        private static void logError(DeliveryError error) {
            Logs.DELIVERY.error("flow-pubsub: " + error.describe(), error.cause());
        }
    }
}
