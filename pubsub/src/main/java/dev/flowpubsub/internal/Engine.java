package dev.flowpubsub.internal;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.DeliveryError;
import dev.flowpubsub.DeliveryErrorHandler;
import dev.flowpubsub.MessageHandler;
import dev.flowpubsub.OverflowPolicy;
import dev.flowpubsub.PubSubStats;
import dev.flowpubsub.TopicMessageHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The local delivery engine behind a hub: the subscription index, the inbox of sent messages, the
 * fan-out into pages' queues and the bookkeeping. Not API: use {@code PubSubHub} and {@code PubSub}.
 *
 * <p>Threading: {@link #publish} may be called from any thread and only appends to a lock-free inbox.
 * One fan-out task at a time (on the executor) takes messages from the inbox in order and appends each
 * to the queue of every subscribed page, which gives every page the same order of local messages. Each
 * page's queue is drained by a task that calls {@code ui.access(...)}, so handlers run under their own
 * session's lock, never on the sender's thread.
 */
public final class Engine {

    static final Logger LOG = LoggerFactory.getLogger("dev.flowpubsub.PubSubHub");

    private final int queueCapacity;
    private final OverflowPolicy overflowPolicy;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final DeliveryErrorHandler errorHandler;

    private final ConcurrentHashMap<UI, UiEndpoint> endpoints = new ConcurrentHashMap<>();
    private final Set<UiEndpoint> broadcastSubscribers = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<String, Set<UiEndpoint>> topicSubscribers = new ConcurrentHashMap<>();

    private final ConcurrentLinkedQueue<Envelope> inbox = new ConcurrentLinkedQueue<>();
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
     * @param executor where fan-out and drain tasks run; {@code null} for a virtual thread per task, owned
     *                 (and shut down) by this engine
     */
    public Engine(int queueCapacity, OverflowPolicy overflowPolicy, Executor executor,
                  DeliveryErrorHandler errorHandler) {
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
    @SuppressWarnings("unchecked")
    public Registration subscribe(UI ui, String topic, Class<?> type, MessageHandler<?> handler,
                                  TopicMessageHandler<?> topicHandler) {
        ensureOpen();
        warnIfNoPush(ui);
        for (;;) {
            UiEndpoint endpoint = endpoints.get(ui);
            if (endpoint == null) {
                UiEndpoint created = new UiEndpoint(this, ui);
                endpoint = endpoints.putIfAbsent(ui, created);
                if (endpoint == null) {
                    endpoint = created;
                    created.watchDetach();
                }
            }
            Subscription subscription = new Subscription(endpoint, topic, type,
                    (MessageHandler<Object>) handler, (TopicMessageHandler<Object>) topicHandler);
            if (endpoint.add(subscription)) {
                return subscription;
            }
            // the endpoint closed between lookup and add (its last subscription ended): take a fresh one
        }
    }

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

    private void enqueue(Envelope envelope) {
        inbox.offer(envelope);
        if (!fanOutScheduled.get() && fanOutScheduled.compareAndSet(false, true)) {
            submit(this::fanOut);
        }
    }

    private void fanOut() {
        for (;;) {
            Envelope envelope;
            while ((envelope = inbox.poll()) != null) {
                Collection<UiEndpoint> targets = envelope.topic() == null
                        ? broadcastSubscribers : topicSubscribers.get(envelope.topic());
                if (targets != null) {
                    UI skip = envelope.skip();
                    for (UiEndpoint endpoint : targets) {
                        if (endpoint.ui != skip) {
                            endpoint.enqueue(envelope);
                        }
                    }
                }
            }
            fanOutScheduled.set(false);
            // a publisher may have added a message after the last poll and seen the flag still set
            if (inbox.isEmpty() || !fanOutScheduled.compareAndSet(false, true)) {
                return;
            }
        }
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
                while (busy.get() > 0 || !inbox.isEmpty()) {
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
        for (UiEndpoint endpoint : endpoints.values()) {
            endpoint.close();
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
