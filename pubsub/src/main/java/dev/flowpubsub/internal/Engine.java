package dev.flowpubsub.internal;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.DeliveryError;
import dev.flowpubsub.DeliveryErrorHandler;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.Presence;
import dev.flowpubsub.PresenceEvent;
import dev.flowpubsub.PresenceRegistration;
import dev.flowpubsub.MessageHandler;
import dev.flowpubsub.OverflowPolicy;
import dev.flowpubsub.PubSubStats;
import dev.flowpubsub.TopicMessageHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The local delivery engine behind a hub: the subscription index, the inbox of sent messages, the
 * fan-out into pages' queues and the bookkeeping. Not API: use {@code PubSubHub} and {@code PubSub}.
 *
 * <p>Threading: {@link #publish} may be called from any thread and only appends to a lock-free inbox.
 * One fan-out task at a time (on the executor) takes messages from the inbox in order and appends each
 * to the queue of every subscribed page, which gives every page the same order of local messages. Pages
 * with messages wait in a ready queue for one of a few delivery lanes, which runs each page's batch under its
 * session's lock, never on the sender's thread; a watchdog adds lanes when all are stuck on slow pages. With a
 * minimum batch interval, a page whose last batch is too recent waits on one timer thread (a daemon platform
 * thread, started on first use, stopped by {@link #close}) before it joins the ready queue.
 */
public final class Engine {

    static final Logger LOG = LoggerFactory.getLogger("dev.flowpubsub.PubSubHub");
    /** Topics starting with this are the hub's own (presence); user topics may not contain it. */
    public static final String INTERNAL = "\u0000";
    private static final int MAX_HISTORY_TOPICS = 10_000;

    private final int queueCapacity;
    private final long minBatchIntervalNanos;
    /** Started on first use, only with a minimum batch interval: makes pages ready when their interval has passed. */
    private volatile ScheduledExecutorService timer;
    private final Object timerLock = new Object();
    private final Set<HeldBack> heldBackPages = ConcurrentHashMap.newKeySet();
    private final OverflowPolicy overflowPolicy;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final DeliveryErrorHandler errorHandler;

    private final ConcurrentHashMap<UI, UiEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Set<UiEndpoint> broadcastSubscribers = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Set<UiEndpoint>> topicSubscribers = new ConcurrentHashMap<>();

    /** {@link Envelope}s and {@link Control}s, in the one order the fan-out task follows. */
    private final ConcurrentLinkedQueue<Object> inbox = new ConcurrentLinkedQueue<>();
    private final HistoryPolicy historyPolicy;
    /** Last messages of topics with history, in fan-out order; fan-out task only. Least recently used topics go first. */
    private final Map<String, ArrayDeque<Envelope>> histories = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Envelope>> eldest) {
            if (size() > MAX_HISTORY_TOPICS) {
                bootstrappedHistories.remove(eldest.getKey());
                return true;
            }
            return false;
        }
    };
    /** Topics whose history was completed from the engine (fan-out task only). */
    private final Set<String> bootstrappedHistories = new HashSet<>();
    private volatile Presences presences;
    private volatile Cluster cluster;
    private Thread heartbeat;
    private final AtomicLong joinIds = new AtomicLong();
    private final AtomicBoolean fanOutScheduled = new AtomicBoolean();
    /** Tasks submitted to the executor and not yet finished; with an empty inbox, zero means idle. */
    private final AtomicInteger busy = new AtomicInteger();
    private final Object idleMonitor = new Object();
    private volatile int idleWaiters;

    private final LongAdder sent = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder dropped = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder batches = new LongAdder();
    private final LongAdder subscriptions = new LongAdder();
    private final LongAdder pending = new LongAdder();

    private final AtomicBoolean pushWarned = new AtomicBoolean();
    private volatile boolean closed;

    /**
     * @param executor         where the fan-out task, the lanes and the watchdog run; {@code null} for virtual threads,
     *                         owned (and shut down) by this engine
     * @param minBatchInterval the shortest time between two batches of one page; zero for none
     */
    public Engine(int queueCapacity, OverflowPolicy overflowPolicy, Executor executor,
                  DeliveryErrorHandler errorHandler, HistoryPolicy historyPolicy, Duration minBatchInterval) {
        this.historyPolicy = Arguments.notNull(historyPolicy, "historyPolicy");
        this.minBatchIntervalNanos = Arguments.notNull(minBatchInterval, "minBatchInterval").toNanos();
        this.presences = new Presences(this, "local", null, 100);
        this.queueCapacity = Arguments.positive(queueCapacity, "queueCapacity");
        this.overflowPolicy = Arguments.notNull(overflowPolicy, "overflowPolicy");
        this.errorHandler = Arguments.notNull(errorHandler, "errorHandler");
        if (executor == null) {
            this.ownedExecutor = java.util.concurrent.Executors.newThreadPerTaskExecutor(
                    Thread.ofVirtual().name("flow-pubsub-", 0).factory());
            this.executor = ownedExecutor;
        } else {
            this.ownedExecutor = null;
            this.executor = executor;
        }
    }

    public int queueCapacity() {
        return queueCapacity;
    }

    /** The shortest time between two batches of one page, in nanoseconds; 0 when a batch may start at once. */
    public long minBatchIntervalNanos() {
        return minBatchIntervalNanos;
    }

    public OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    // ---- subscribing ----------------------------------------------------------------------------

    /**
     * Subscribes a handler of a page. The caller holds the page's session lock (checked by the public API).
     *
     * @param topic null for a broadcast subscription
     * @param type  null for every message
     */
    public Registration subscribe(UI ui, String topic, Class<?> type, MessageHandler<?> handler,
                                  TopicMessageHandler<?> topicHandler) {
        return add(ui, topic, type, handler, topicHandler, true);
    }

    @SuppressWarnings("unchecked")
    private Subscription add(UI ui, String topic, Class<?> type, MessageHandler<?> handler,
                             TopicMessageHandler<?> topicHandler, boolean live) {
        ensureOpen();
        warnIfNoPush(ui);
        for (;;) {
            UiEndpoint endpoint = endpointFor(ui);
            Subscription subscription = new Subscription(endpoint, topic, type,
                    (MessageHandler<Object>) handler, (TopicMessageHandler<Object>) topicHandler, live);
            if (endpoint.add(subscription)) {
                return subscription;
            }
            // the endpoint closed between lookup and add (its last subscription ended): take a fresh one
        }
    }

    private UiEndpoint endpointFor(UI ui) {
        UiEndpoint endpoint = endpoints.get(ui);
        if (endpoint == null) {
            UiEndpoint created = new UiEndpoint(this, ui);
            endpoint = endpoints.putIfAbsent(ui, created);
            if (endpoint == null) {
                endpoint = created;
                created.watchDetach();
            }
        }
        return endpoint;
    }

    /**
     * Subscribes to a topic, first handing the handler the topic's history: the messages kept for it when the
     * subscription starts in the hub's order, then every message after that point, with no gap and no repeat.
     */
    public Registration subscribeWithHistory(UI ui, String topic, Class<?> type, MessageHandler<?> handler,
                                             TopicMessageHandler<?> topicHandler) {
        Subscription subscription = add(ui, topic, type, handler, topicHandler, false);
        int size = historyPolicy.size(topic);
        Cluster clusterNow = cluster;
        if (size > 0 && clusterNow != null) {
            // a node started after the messages were sent has them only in the engine: fetch, then start
            submit(() -> {
                List<Envelope> older = clusterNow.history(topic, size); // null: the engine could not be read
                control(() -> {
                    if (older != null) {
                        completeHistory(topic, older, size);
                    }
                    activate(subscription, historyOf(topic));
                });
            });
        } else {
            control(() -> activate(subscription, historyOf(topic)));
        }
        return subscription;
    }

    /** Subscribes to joins and leaves on a topic, first handing the handler everyone present (PRESENT events). */
    public Registration subscribePresence(UI ui, String topic, MessageHandler<?> handler) {
        Subscription subscription = add(ui, Presences.EVENTS_PREFIX + topic, PresenceEvent.class, handler, null, false);
        control(() -> activate(subscription, presences.snapshot(topic)));
        return subscription;
    }

    /** Makes the page present on a topic until the registration is removed or the page detaches. */
    public PresenceRegistration join(UI ui, String topic, Object descriptor) {
        ensureOpen();
        String node = cluster == null ? "local" : cluster.nodeId();
        Presences.Member member = new Presences.Member(topic, node + "-" + joinIds.incrementAndGet(), descriptor,
                System.currentTimeMillis(), node);
        for (;;) {
            UiEndpoint endpoint = endpointFor(ui);
            PresenceJoin join = new PresenceJoin(endpoint, member);
            if (endpoint.addJoin(join)) {
                control(() -> presences.localJoin(member));
                return join;
            }
        }
    }

    void leave(Presences.Member member) {
        if (!closed) {
            control(() -> presences.localLeave(member));
        }
    }

    /** Who is present on a topic, on every node, in the order they joined. */
    public List<Presence> present(String topic) {
        return presences.present(topic);
    }

    private void activate(Subscription subscription, List<Envelope> snapshot) {
        if (subscription.isActive()) {
            subscription.endpoint.enqueue(new Activation(subscription, snapshot));
        }
    }

    private List<Envelope> historyOf(String topic) {
        ArrayDeque<Envelope> history = histories.get(topic);
        return history == null ? List.of() : List.copyOf(history);
    }

    /** Puts messages older than this node's own history in front of it, skipping any it has (fan-out task). */
    private void completeHistory(String topic, List<Envelope> older, int size) {
        if (!bootstrappedHistories.add(topic) || older.isEmpty()) {
            return;
        }
        ArrayDeque<Envelope> history = histories.computeIfAbsent(topic, t -> new ArrayDeque<>());
        Set<String> known = new HashSet<>();
        for (Envelope envelope : history) {
            known.add(envelope.origin() + "#" + envelope.originSequence());
        }
        ArrayDeque<Envelope> merged = new ArrayDeque<>(size);
        for (Envelope envelope : older) {
            if (!known.contains(envelope.origin() + "#" + envelope.originSequence())) {
                merged.addLast(envelope);
            }
        }
        merged.addAll(history);
        while (merged.size() > size) {
            merged.pollFirst();
        }
        histories.put(topic, merged);
    }

    private void remember(Envelope envelope) {
        String topic = envelope.topic();
        if (topic == null || topic.startsWith(INTERNAL)) {
            return;
        }
        int size = historyPolicy.size(topic);
        if (size <= 0) {
            return;
        }
        ArrayDeque<Envelope> history = histories.computeIfAbsent(topic, t -> new ArrayDeque<>());
        // without the sender's UI (sendOthers): history must not keep a page reachable
        history.addLast(new Envelope(topic, envelope.message(), null, envelope.origin(), envelope.originSequence()));
        while (history.size() > Math.min(size, HistoryPolicy.MAX_SIZE)) {
            history.pollFirst();
        }
    }

    /** How many of a topic's messages the hub keeps (for the transport, which keeps them in the engine too). */
    public int historySize(String topic) {
        return topic == null || topic.startsWith(INTERNAL) ? 0 : Math.min(historyPolicy.size(topic), HistoryPolicy.MAX_SIZE);
    }

    /**
     * Connects presence to the other nodes: protocol messages go out through the cluster, a heartbeat runs, and
     * the other nodes are asked for their entries. Called before the transport starts, so that nothing it
     * receives meets a hub that is not ready for it.
     */
    public void enableCluster(Cluster cluster, java.time.Duration heartbeatEvery) {
        this.cluster = cluster;
        long heartbeatNanos = heartbeatEvery.toNanos();
        Presences clustered = new Presences(this, cluster.nodeId(), cluster::sendProtocol, 100);
        this.presences = clustered;
        this.heartbeatNanos = heartbeatNanos;
        control(clustered::joinCluster);
        heartbeat = Thread.ofVirtual().name("flow-pubsub-heartbeat-" + cluster.nodeId()).start(() -> {
            while (!closed) {
                try {
                    Thread.sleep(java.time.Duration.ofNanos(heartbeatNanos));
                } catch (InterruptedException e) {
                    return;
                }
                if (!closed) {
                    control(() -> clustered.heartbeat(System.nanoTime(), 3 * heartbeatNanos));
                }
            }
        });
    }

    private volatile long heartbeatNanos;

    public void unsubscribe(UI ui) {
        UiEndpoint endpoint = endpoints.get(ui);
        if (endpoint != null) {
            endpoint.removeBroadcast();
        }
    }

    public void unsubscribeTopic(UI ui, String topic) {
        UiEndpoint endpoint = endpoints.get(ui);
        if (endpoint != null) {
            endpoint.removeTopic(topic);
        }
    }

    public void unsubscribeAll(UI ui) {
        UiEndpoint endpoint = endpoints.get(ui);
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** How many handlers the page holds on this hub, over all topics. */
    public int subscriptionCount(UI ui) {
        UiEndpoint endpoint = endpoints.get(ui);
        return endpoint == null ? 0 : endpoint.subscriptionCount();
    }

    void forget(UiEndpoint endpoint) {
        endpoints.remove(endpoint.ui, endpoint);
    }

    void indexBroadcast(UiEndpoint endpoint) {
        broadcastSubscribers.add(endpoint);
    }

    void unindexBroadcast(UiEndpoint endpoint) {
        broadcastSubscribers.remove(endpoint);
    }

    void indexTopic(String topic, UiEndpoint endpoint) {
        topicSubscribers.compute(topic, (key, set) -> {
            Set<UiEndpoint> result = set == null ? ConcurrentHashMap.newKeySet() : set;
            result.add(endpoint);
            return result;
        });
    }

    void unindexTopic(String topic, UiEndpoint endpoint) {
        topicSubscribers.computeIfPresent(topic, (key, set) -> {
            set.remove(endpoint);
            return set.isEmpty() ? null : set;
        });
    }

    private void warnIfNoPush(UI ui) {
        if (!ui.getPushConfiguration().getPushMode().isEnabled() && pushWarned.compareAndSet(false, true)) {
            LOG.warn("flow-pubsub: UI {} has no server push, so messages reach its browser only with its next "
                    + "request. Add @Push to your AppShellConfigurator class (com.vaadin.flow.component.page.Push). "
                    + "This warning is shown once per application.", ui.getUIId());
        }
    }

    // ---- sending --------------------------------------------------------------------------------

    /** Accepts a message sent on this node and returns at once; never runs a handler on the caller's thread. */
    public void publish(Envelope envelope) {
        ensureOpen();
        sent.increment();
        enqueue(envelope);
    }

    /** Accepts a message that another node sent, for delivery to this node's pages. */
    void publishRemote(Envelope envelope) {
        if (!closed) {
            enqueue(envelope);
        }
    }

    /** Runs {@code action} in the fan-out task, after everything sent before and before anything sent after. */
    void control(Runnable action) {
        if (!closed) {
            enqueue(new Control(action));
        }
    }

    private void enqueue(Object item) {
        inbox.offer(item);
        if (!fanOutScheduled.get() && fanOutScheduled.compareAndSet(false, true)) {
            submit(this::fanOut);
        }
    }

    /** Consecutive messages for the same pages are handed over together, up to this many. */
    private static final int MAX_RUN = 64;

    private void fanOut() {
        List<Envelope> run = new ArrayList<>(MAX_RUN);
        for (;;) {
            Object item;
            while ((item = inbox.poll()) != null) {
                try {
                    if (item instanceof Control control) {
                        control.action().run();
                    } else if (!isPageMessage((Envelope) item)) {
                        fanOut((Envelope) item);
                    } else {
                        // a busy stream: take the following messages for the same pages too, visit each page once
                        Envelope first = (Envelope) item;
                        run.add(first);
                        remember(first);
                        while (run.size() < MAX_RUN && inbox.peek() instanceof Envelope next && isPageMessage(next)
                                && Objects.equals(next.topic(), first.topic()) && next.skip() == first.skip()) {
                            inbox.poll();
                            run.add(next);
                            remember(next);
                        }
                        fanOut(run);
                    }
                } catch (RuntimeException unexpected) {
                    LOG.error("flow-pubsub: fan-out of {} failed", item, unexpected);
                } finally {
                    run.clear();
                }
            }
            fanOutScheduled.set(false);
            // a publisher may have added a message after the last poll and seen the flag still set
            if (inbox.isEmpty() || !fanOutScheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    /** A message for pages' handlers, as opposed to the hub's own (presence protocol and events). */
    private static boolean isPageMessage(Envelope envelope) {
        return envelope.topic() == null || !envelope.topic().startsWith(INTERNAL);
    }

    private void fanOut(List<Envelope> run) {
        Envelope first = run.getFirst();
        if (run.size() == 1) {
            fanOutNow(first);
            return;
        }
        Collection<UiEndpoint> targets = targetsOf(first);
        if (targets != null) {
            UI skip = first.skip();
            for (UiEndpoint endpoint : targets) {
                if (endpoint.ui != skip) {
                    endpoint.enqueue(run);
                }
            }
        }
    }

    private void fanOut(Envelope envelope) {
        if (Presences.PROTOCOL_TOPIC.equals(envelope.topic())) {
            if (envelope.origin() != null) {
                presences.onRemote(envelope.origin(), envelope.message(), System.nanoTime(), heartbeatNanos);
            }
            return;
        }
        remember(envelope);
        fanOutNow(envelope);
    }

    /** Hands a message to the queue of every page subscribed to it (fan-out task). */
    void fanOutNow(Envelope envelope) {
        Collection<UiEndpoint> targets = targetsOf(envelope);
        if (targets != null) {
            UI skip = envelope.skip();
            for (UiEndpoint endpoint : targets) {
                if (endpoint.ui != skip) {
                    endpoint.enqueue(envelope);
                }
            }
        }
    }

    /** The pages subscribed to a message's topic (or to every message), or null when there are none. */
    private Collection<UiEndpoint> targetsOf(Envelope envelope) {
        return envelope.topic() == null ? broadcastSubscribers : topicSubscribers.get(envelope.topic());
    }

    // ---- delivery lanes ---------------------------------------------------------------------------

    /** Pages with a batch to run, waiting for a lane. */
    private final ConcurrentLinkedQueue<UiEndpoint> ready = new ConcurrentLinkedQueue<>();
    /** Lanes running now; up to {@link #eagerLanes} start on demand, more only to get around stuck ones. */
    private final AtomicInteger lanes = new AtomicInteger();
    private final Set<Lane> runningLanes = ConcurrentHashMap.newKeySet();
    private final int eagerLanes = Math.max(2, Runtime.getRuntime().availableProcessors());
    private final AtomicBoolean watchdogRunning = new AtomicBoolean();
    /** A lane busy with one page for longer than this is taken as stuck (a slow handler, a blocked push). */
    private static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    private static final int MAX_LANES = 10_000;

    /**
     * Makes a page's batch run soon. A few lanes (one per core) take ready pages one after another, which costs
     * far less than a thread per page; and when every lane is stuck with a slow page, a watchdog adds a lane, so
     * a slow handler never holds up the other pages for more than about {@code STUCK_NANOS}.
     */
    void schedule(UiEndpoint endpoint) {
        ready.offer(endpoint);
        for (;;) {
            int running = lanes.get();
            if (running >= eagerLanes) {
                startWatchdog();
                return;
            }
            if (lanes.compareAndSet(running, running + 1)) {
                startLane();
                return;
            }
        }
    }

    /**
     * Like {@link #schedule} once {@code delayNanos} have passed: a page whose last batch started less than the minimum
     * batch interval ago. Counted as work in progress (see {@link #awaitIdle}) until the page is ready, or until
     * {@link #close} drops it.
     */
    void scheduleAfter(UiEndpoint endpoint, long delayNanos) {
        busy.incrementAndGet();
        HeldBack heldBack = new HeldBack(endpoint);
        heldBackPages.add(heldBack);
        try {
            timer().schedule(heldBack, delayNanos, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException closedMeanwhile) {
            heldBack.finish(false);
        }
    }

    /** A page waiting for its interval; un-counted exactly once, whether it runs or the hub closes first. */
    private final class HeldBack implements Runnable {
        private final UiEndpoint endpoint;
        private final AtomicBoolean finished = new AtomicBoolean();

        HeldBack(UiEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public void run() {
            finish(true);
        }

        void finish(boolean makeReady) {
            if (!finished.compareAndSet(false, true)) {
                return;
            }
            heldBackPages.remove(this);
            try {
                if (makeReady && !closed) {
                    schedule(endpoint);
                }
            } finally {
                taskDone();
            }
        }
    }

    /** Whether the timer of the minimum batch interval was started; and, after close, whether it has stopped. */
    public boolean timerStarted() {
        return timer != null;
    }

    public boolean timerTerminated() {
        ScheduledExecutorService current = timer;
        return current != null && current.isTerminated();
    }

    private ScheduledExecutorService timer() {
        ScheduledExecutorService current = timer;
        if (current == null) {
            synchronized (timerLock) {
                current = timer;
                if (current == null) {
                    if (closed) {
                        throw new RejectedExecutionException("the hub is closed");
                    }
                    current = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                            Thread.ofPlatform().daemon().name("flow-pubsub-timer")
                                    .inheritInheritableThreadLocals(false).factory());
                    timer = current;
                }
            }
        }
        return current;
    }

    private void startLane() {
        Lane lane = new Lane();
        runningLanes.add(lane);
        submit(lane);
    }

    /** One delivery lane: runs ready pages' batches until there are none. */
    private final class Lane implements Runnable {
        /** When the current page's batch started (nanoTime), 0 while between pages. */
        volatile long busySince;

        @Override
        public void run() {
            try {
                for (;;) {
                    UiEndpoint endpoint;
                    while ((endpoint = ready.poll()) != null) {
                        busySince = System.nanoTime();
                        try {
                            endpoint.drain();
                        } finally {
                            busySince = 0;
                        }
                    }
                    lanes.decrementAndGet();
                    // a page may have become ready after the last poll, its scheduler seeing this lane still running
                    if (ready.isEmpty()) {
                        return;
                    }
                    int running = lanes.get();
                    if (running >= eagerLanes || !lanes.compareAndSet(running, running + 1)) {
                        return;
                    }
                }
            } finally {
                runningLanes.remove(this);
            }
        }

        boolean stuck(long now) {
            long since = busySince;
            return since != 0 && now - since > STUCK_NANOS;
        }
    }

    /** While pages wait and every lane is stuck, adds lanes; ends when nothing waits. */
    private void startWatchdog() {
        if (!watchdogRunning.compareAndSet(false, true)) {
            return;
        }
        submit(() -> {
            try {
                while (!closed && !ready.isEmpty()) {
                    Thread.sleep(Duration.ofNanos(STUCK_NANOS / 2));
                    long now = System.nanoTime();
                    if (!ready.isEmpty() && lanes.get() < MAX_LANES
                            && runningLanes.stream().allMatch(lane -> lane.stuck(now))) {
                        lanes.incrementAndGet();
                        startLane();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                watchdogRunning.set(false);
                if (!ready.isEmpty() && !closed) {
                    startWatchdog();
                }
            }
        });
    }

    void submit(Runnable task) {
        busy.incrementAndGet();
        try {
            executor.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error unexpected) {
                    LOG.error("flow-pubsub: internal delivery task failed", unexpected);
                } finally {
                    taskDone();
                }
            });
        } catch (RejectedExecutionException rejected) {
            taskDone();
            if (!closed) {
                LOG.error("flow-pubsub: the executor refused a delivery task; messages may be lost", rejected);
            }
        }
    }

    private void taskDone() {
        if (busy.decrementAndGet() == 0 && idleWaiters > 0) {
            synchronized (idleMonitor) {
                idleMonitor.notifyAll();
            }
        }
    }

    /**
     * Waits until every message published so far has been fanned out and each page's batch has either
     * run or been handed to its session's access queue (where it runs when the session's lock holder
     * releases it).
     */
    public boolean awaitIdle(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idleMonitor) {
            idleWaiters++;
            try {
                while (busy.get() > 0 || !inbox.isEmpty() || !ready.isEmpty()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    // short waits: an empty inbox with busy == 0 is re-checked even if a notify was missed
                    TimeUnit.NANOSECONDS.timedWait(idleMonitor, Math.min(left, TimeUnit.MILLISECONDS.toNanos(5)));
                }
                return true;
            } finally {
                idleWaiters--;
            }
        }
    }

    // ---- bookkeeping ----------------------------------------------------------------------------

    void subscriptionAdded() {
        subscriptions.increment();
    }

    void subscriptionsRemoved(int count) {
        subscriptions.add(-count);
    }

    void pendingAdded() {
        pending.increment();
    }

    void pendingAdded(int count) {
        pending.add(count);
    }

    void pendingRemoved(int count) {
        pending.add(-count);
    }

    void batchStarted() {
        batches.increment();
    }

    void delivered() {
        delivered.increment();
    }

    void droppedFor(UI ui, int capacity, boolean firstForThisPage) {
        dropped.increment();
        if (firstForThisPage) {
            LOG.warn("flow-pubsub: UI {} cannot keep up: its queue of {} pending messages is full, so messages "
                            + "are dropped ({}). Further drops for this page are only counted (PubSubHub.stats().dropped()).",
                    ui.getUIId(), capacity, overflowPolicy);
        }
    }

    void handlerFailed(UI ui, Envelope envelope, Throwable failure) {
        failed.increment();
        DeliveryError error = new DeliveryError(ui.getUIId(), envelope.topic(), envelope.message().getClass(), failure);
        try {
            errorHandler.onError(error);
        } catch (RuntimeException handlerFailure) {
            LOG.error("flow-pubsub: the DeliveryErrorHandler threw while reporting: " + error.describe(), handlerFailure);
        }
    }

    public PubSubStats stats() {
        return stats(null);
    }

    public PubSubStats stats(Cluster cluster) {
        return new PubSubStats(endpoints.size(), subscriptions.sum(), topicSubscribers.size(), pending.sum(),
                sent.sum(), delivered.sum(), dropped.sum(), failed.sum(), batches.sum(),
                cluster == null ? 0 : cluster.received(), cluster == null ? 0 : cluster.rejected(),
                cluster == null ? 0 : cluster.duplicates(), cluster == null ? 0 : cluster.missed());
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    public boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("this PubSub hub is closed (its Vaadin service was destroyed, or close() "
                    + "was called): nothing can be sent or subscribed through it any more");
        }
    }

    /** Ends every subscription, forgets pending messages and stops the owned executor. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        inbox.clear();
        if (heartbeat != null) {
            heartbeat.interrupt();
        }
        for (UiEndpoint endpoint : endpoints.values()) {
            endpoint.close();
        }
        ScheduledExecutorService stoppedTimer;
        synchronized (timerLock) {
            stoppedTimer = timer;
        }
        if (stoppedTimer != null) {
            stoppedTimer.shutdownNow();
            for (HeldBack heldBack : heldBackPages) {
                heldBack.finish(false); // its batch is dropped with the hub, as every pending message is
            }
            try {
                stoppedTimer.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
            try {
                if (!ownedExecutor.awaitTermination(5, TimeUnit.SECONDS)) {
                    LOG.warn("flow-pubsub: handlers still running 5 s after close; interrupting them");
                    ownedExecutor.shutdownNow();
                }
            } catch (InterruptedException interrupted) {
                ownedExecutor.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
    }
}
