package dev.flowpubsub;

import com.vaadin.flow.server.VaadinService;
import dev.flowpubsub.spi.MessageCodec;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.Executor;

/**
 * Configures a hub ({@link PubSubHub#builder()}). Every setting has a default fit for most applications.
 *
 * <pre>{@code
 * public class PubSubSetup implements VaadinServiceInitListener {
 *     public void serviceInit(ServiceInitEvent event) {
 *         PubSubHub.builder().queueCapacity(256).install(event.getSource());
 *     }
 * }
 * }</pre>
 */
@NullMarked
public final class PubSubHubBuilder {

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

    int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    OverflowPolicy overflowPolicy = OverflowPolicy.DROP_OLDEST;
    @Nullable Executor executor;
    DeliveryErrorHandler errorHandler = PubSubHubBuilder::logError;
    @Nullable Transport transport;
    @Nullable MessageCodec codec;
    int maxMessageBytes = DEFAULT_MAX_MESSAGE_BYTES;
    String nodeId = "node-" + UUID.randomUUID().toString().substring(0, 13).replace("-", "");
    HistoryPolicy historyPolicy = HistoryPolicy.none();
    TopicAuthorizer authorizer = TopicAuthorizer.allowAll();
    Duration presenceHeartbeat = DEFAULT_PRESENCE_HEARTBEAT;
    Duration minBatchInterval = Duration.ZERO;
    int maxLanes = DEFAULT_LANES_PER_CORE * Runtime.getRuntime().availableProcessors();
    int inboxCapacity = DEFAULT_INBOX_CAPACITY;
    Duration sendTimeout = DEFAULT_SEND_TIMEOUT;
    double sendRate = DEFAULT_SEND_RATE;
    int sendBurst = DEFAULT_SEND_BURST;
    Duration presenceDisconnectGrace = DEFAULT_PRESENCE_DISCONNECT_GRACE;
    int historyTopics = TopicHistories.MAX_TOPICS;
    /** Shared signals' limits and timings; not configurable from outside yet. */
    SignalSettings signalSettings = SignalSettings.DEFAULTS;

    PubSubHubBuilder() {
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
    public PubSubHubBuilder presenceDisconnectGrace(Duration grace) {
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
    public PubSubHubBuilder maxLanes(int maxLanes) {
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
    public PubSubHubBuilder inboxCapacity(int inboxCapacity) {
        this.inboxCapacity = Arguments.positive(inboxCapacity, "inboxCapacity");
        return this;
    }

    /**
     * How long a send from server code ({@link PubSubHub#sendAll}) waits for room in a full inbox before it
     * fails with {@link PubSubSendRefusedException}. Default 5 seconds; zero fails at once.
     */
    public PubSubHubBuilder sendTimeout(Duration sendTimeout) {
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
    public PubSubHubBuilder sendBudget(double messagesPerSecond, int burst) {
        if (!(messagesPerSecond > 0) || Double.isInfinite(messagesPerSecond)) {
            throw new IllegalArgumentException("messagesPerSecond must be a positive number (got "
                    + messagesPerSecond + ")");
        }
        this.sendRate = messagesPerSecond;
        this.sendBurst = Arguments.positive(burst, "burst");
        return this;
    }

    /** No send budget: pages may send as fast as they like (only the inbox's bound applies). */
    public PubSubHubBuilder noSendBudget() {
        this.sendRate = 0;
        return this;
    }

    /** How many messages may wait for one page before the overflow policy applies; at least 1. Default 1,024. */
    public PubSubHubBuilder queueCapacity(int queueCapacity) {
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
    public PubSubHubBuilder minBatchInterval(Duration minBatchInterval) {
        Arguments.notNull(minBatchInterval, "minBatchInterval");
        if (minBatchInterval.isNegative() || minBatchInterval.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException(
                    "minBatchInterval must be between 0 and 1 minute (got " + minBatchInterval + ")");
        }
        this.minBatchInterval = minBatchInterval;
        return this;
    }

    /** What a full page queue does with a new message. Default {@link OverflowPolicy#DROP_OLDEST}. */
    public PubSubHubBuilder overflowPolicy(OverflowPolicy overflowPolicy) {
        this.overflowPolicy = Arguments.notNull(overflowPolicy, "overflowPolicy");
        return this;
    }

    /**
     * Where the fan-out task and the delivery lanes run. Default: virtual threads owned by the hub and stopped
     * on {@link PubSubHub#close()}. An executor given here is not shut down by the hub; the watchdog adds lanes when
     * every lane is stuck on a slow page, so give it an executor that can start them (a pool of P threads lets
     * at most P lanes run at once, and a slow page can then hold up others). A task it refuses, or throws on, is
     * offered again shortly, not lost. It must run tasks on threads of its own: one that runs them on the
     * caller's thread ({@code Runnable::run}, a caller-runs policy) makes handlers run inside send calls.
     */
    public PubSubHubBuilder executor(Executor executor) {
        this.executor = Arguments.notNull(executor, "executor");
        return this;
    }

    /** Who is told about failed handlers. Default: an ERROR log line with UI id, topic and message type. */
    public PubSubHubBuilder errorHandler(DeliveryErrorHandler errorHandler) {
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
    public PubSubHubBuilder transport(Transport transport) {
        this.transport = Arguments.notNull(transport, "transport");
        return this;
    }

    /**
     * How messages are encoded for the transport. Default: {@link JsonCodec} with only its built-in types;
     * use {@code JsonCodec.allowing(YourRecord.class, ...)} to send your own types across nodes.
     */
    public PubSubHubBuilder codec(MessageCodec codec) {
        this.codec = Arguments.notNull(codec, "codec");
        return this;
    }

    /** The largest encoded message sent across nodes; a larger one fails at the send. Default 64 KiB. */
    public PubSubHubBuilder maxMessageBytes(int maxMessageBytes) {
        this.maxMessageBytes = Arguments.positive(maxMessageBytes, "maxMessageBytes");
        return this;
    }

    /**
     * This node's id in the cluster; default: a random one per hub. It must be unique among running nodes, or
     * they would take each other's messages for their own.
     */
    public PubSubHubBuilder nodeId(String nodeId) {
        this.nodeId = Arguments.nonBlank(nodeId, "nodeId").strip();
        return this;
    }

    /**
     * Which topics keep their last messages for {@link PubSub#subscribeTopicWithHistory}. Default: none. With
     * a transport, give every node the same policy.
     */
    public PubSubHubBuilder history(HistoryPolicy historyPolicy) {
        this.historyPolicy = Arguments.notNull(historyPolicy, "historyPolicy");
        return this;
    }

    /**
     * How many topics' histories the hub keeps at most (default 10,000); past that, the least recently used one
     * goes, and is read from the engine again when next subscribed to. Only tests change it.
     */
    PubSubHubBuilder historyTopics(int historyTopics) {
        this.historyTopics = Arguments.positive(historyTopics, "historyTopics");
        return this;
    }

    /** Who may subscribe to, send on or join which topic. Default: everyone may do everything. */
    public PubSubHubBuilder authorizer(TopicAuthorizer authorizer) {
        this.authorizer = Arguments.notNull(authorizer, "authorizer");
        return this;
    }

    /**
     * With a transport: how often each node tells the others it is alive, with its presence entries. The
     * entries of a node not heard from for three heartbeats are removed on the others. Default 5 seconds, so
     * a node that dies or loses the engine is gone from the others' presence within 15 seconds.
     */
    public PubSubHubBuilder presenceHeartbeat(Duration presenceHeartbeat) {
        this.presenceHeartbeat = Arguments.atLeast(presenceHeartbeat, Duration.ofMillis(100), "presenceHeartbeat");
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
