package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.AppShellRegistry;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.spi.Arguments;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordinator of a hub's delivery on this server: it takes what is sent into the inbox, fans each message out
 * to the queues of the pages subscribed to it, and hands pages with messages to the delivery lanes. Each mechanism is
 * a class of its own: {@link SubscriptionIndex} (who is subscribed to what), {@link HubInbox} (the bounded inbox),
 * {@link DeliveryLanes}, {@link BatchPacer} and {@link PushWaits} (who runs pages' batches, and when), {@link Tasks}
 * and {@link HubTimer} (the hub's threads), {@link TopicHistories}, {@link Presences} (with {@link Cluster} across nodes),
 * {@link SendBudgets} and {@link Counters}. Each page's state is its {@link UiEndpoint}. Not API: use
 * {@code PubSubHub} and {@code PubSub}.
 *
 * <h2>Concurrency</h2>
 * {@link #publish} may be called from any thread and only appends to the inbox (a send from server code may wait
 * for room in a full inbox, up to its timeout, holding no lock). One fan-out task at a time (on the executor) takes
 * items from the inbox in order: messages, which it appends to the queue of every subscribed page, and control
 * items (a subscription taking its snapshot, a presence change), which it runs between two messages. That gives
 * every page the same order of local messages, and snapshots taken at one point of it. Pages with messages wait for
 * one of a few delivery lanes, which runs each page's batch under its session's lock, never on the sender's thread.
 * The fan-out task owns the histories and presence state; everything else is concurrent or guarded by the page's
 * own monitor. What this gives applications is stated once, in {@code docs/guarantees.md}.
 */
final class Dispatcher {

    static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
    /** Topics starting with this are the hub's own (presence); user topics may not contain it. */
    static final String INTERNAL = "\u0000";
    /**
     * How long the first subscriber of a topic waits for the engine's part of its history once the read reaches the
     * engine (a transport may queue reads before that; see {@code Transport.history}).
     */
    static final Duration HISTORY_TIMEOUT = Duration.ofSeconds(3);
    /** How long closing a clustered hub waits for its presence leaves to reach the transport. */
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(2);
    /** Consecutive messages for the same pages are handed over together, up to this many. */
    private static final int MAX_RUN = 64;

    /** Who sends: a page on behalf of its user (budgeted, refused when the inbox is full), or server code (waits). */
    enum Sender { PAGE, SERVER }

    private final int queueCapacity;
    private final long minBatchIntervalNanos;
    private final OverflowPolicy overflowPolicy;
    private final DeliveryErrorHandler errorHandler;
    private final long sendTimeoutNanos;
    private final long disconnectGraceNanos;

    private final HubTimer timer = new HubTimer();
    private final Tasks tasks;
    private final DeliveryLanes lanes;
    private final BatchPacer pacer;
    private final PushWaits pushWaits;
    private final HubInbox inbox;
    /** {@code null} when page sends are not budgeted. */
    private final SendBudgets budgets;
    private final SubscriptionIndex index = new SubscriptionIndex();
    private final PageIds pageIds = new PageIds();
    private final TopicHistories histories;
    private final Counters counters = new Counters();
    private final Latencies latencies = new Latencies();
    private volatile Presences presences;
    private volatile Cluster cluster;
    private volatile long heartbeatNanos;
    private final AtomicLong joinIds = new AtomicLong();
    /** Hubs created in this JVM, numbered: a component's history cursor tells one hub's messages from another's. */
    private static final AtomicLong HUBS = new AtomicLong();
    private final long number = HUBS.incrementAndGet();
    private final AtomicBoolean fanOutScheduled = new AtomicBoolean();
    private final AtomicBoolean pushChecked = new AtomicBoolean();
    /** Set when the hub starts closing: nothing new is accepted, but the hub's own work (leaves) still runs. */
    private volatile boolean closing;
    private volatile boolean closed;

    Dispatcher(DispatcherSettings settings) {
        this.queueCapacity = Arguments.positive(settings.queueCapacity(), "queueCapacity");
        this.overflowPolicy = Arguments.notNull(settings.overflowPolicy(), "overflowPolicy");
        this.errorHandler = Arguments.notNull(settings.errorHandler(), "errorHandler");
        this.histories = new TopicHistories(Arguments.notNull(settings.historyPolicy(), "historyPolicy"),
                settings.historyTopics(), pageIds);
        this.minBatchIntervalNanos = Arguments.notNull(settings.minBatchInterval(), "minBatchInterval").toNanos();
        this.sendTimeoutNanos = Arguments.notNull(settings.sendTimeout(), "sendTimeout").toNanos();
        this.disconnectGraceNanos = Arguments.notNull(settings.disconnectGrace(), "disconnectGrace").toNanos();
        this.presences = new Presences(this, "local", null, 100, action -> { });
        this.tasks = new Tasks(settings.executor(), timer);
        this.lanes = new DeliveryLanes(tasks, settings.maxLanes());
        this.pacer = new BatchPacer(timer, tasks, lanes);
        this.pushWaits = new PushWaits(timer, tasks, lanes);
        this.inbox = new HubInbox(settings.inboxCapacity());
        this.budgets = settings.sendRate() > 0 ? new SendBudgets(settings.sendRate(), settings.sendBurst()) : null;
    }

    int queueCapacity() {
        return queueCapacity;
    }

    /** The shortest time between two batches of one page, in nanoseconds; 0 when a batch may start at once. */
    long minBatchIntervalNanos() {
        return minBatchIntervalNanos;
    }

    OverflowPolicy overflowPolicy() {
        return overflowPolicy;
    }

    int maxLanes() {
        return lanes.maxLanes();
    }

    int inboxCapacity() {
        return inbox.capacity();
    }

    // ---- subscribing ----------------------------------------------------------------------------

    /**
     * Subscribes a handler of a page. The caller holds the page's session lock (checked by the public API).
     *
     * @param topic null for a broadcast subscription
     * @param type  null for every message
     */
    Registration subscribe(UI ui, String topic, Class<?> type, TopicMessageHandler<Object> handler) {
        return add(ui, topic, type, handler, true, null);
    }

    private Subscription add(UI ui, String topic, Class<?> type, TopicMessageHandler<Object> handler, boolean live,
            HistoryCursor cursor) {
        ensureOpen();
        warnIfNoPush(ui);
        for (;;) {
            UiEndpoint endpoint = endpointFor(ui);
            Subscription subscription = new Subscription(endpoint, topic, type, handler, live, cursor);
            if (endpoint.add(subscription)) {
                return subscription;
            }
            // the endpoint closed between lookup and add (its last subscription ended): take a fresh one
        }
    }

    private UiEndpoint endpointFor(UI ui) {
        return index.getOrCreate(ui, page -> new UiEndpoint(this, page), UiEndpoint::watchDetach);
    }

    /**
     * Subscribes to a topic, first handing the handler the topic's history: the messages kept for it when the
     * subscription starts in the hub's order, then every message after that point, with no gap and no repeat. With
     * a transport, the first subscriber of a topic on this node also reads what the engine keeps of it, once, in the
     * background (see {@link #HISTORY_TIMEOUT}), and the hub merges that with what it received.
     */
    Registration subscribeWithHistory(UI ui, String topic, Class<?> type, TopicMessageHandler<Object> handler) {
        return subscribeWithHistory(ui, topic, type, handler, null);
    }

    /**
     * {@link #subscribeWithHistory(UI, String, Class, TopicMessageHandler)} for a component attached again: the
     * history is handed from after the last message {@code cursor} saw, if it still holds it (see
     * {@link HistoryCursor#resume}). The caller holds the page's session lock, under which the cursor is read.
     */
    Registration subscribeWithHistory(UI ui, String topic, Class<?> type, TopicMessageHandler<Object> handler,
            HistoryCursor cursor) {
        Subscription subscription = add(ui, topic, type, handler, false, cursor);
        HistoryCursor.Position after = cursor == null ? null : cursor.follow(number, pageIds.of(ui));
        control(() -> startHistory(topic, subscription, after));
        return subscription;
    }

    /**
     * Fan-out task: activates the subscription with the topic's history, or, if the engine's part of it has not
     * been read yet, makes it wait for the one read of that topic, starting it if none is under way.
     */
    private void startHistory(String topic, Subscription subscription, HistoryCursor.Position after) {
        int size = histories.size(topic);
        Cluster clusterNow = cluster;
        if (size <= 0 || clusterNow == null || !histories.needsRead(topic)) {
            activate(subscription, histories.of(topic), after);
            return;
        }
        if (histories.awaitRead(topic, new TopicHistories.Waiting(subscription, after))) {
            // however the read ends (decoding can fail too), the waiting subscriptions start: with what this node
            // has when the read failed
            var unused = clusterNow.history(topic, size, tasks::submit)
                    .whenComplete((older, failure) -> control(() -> finishHistory(topic, failure == null ? older : null)));
        }
    }

    /**
     * Fan-out task, when the engine answered (or did not, {@code older == null}): completes the topic's history and
     * activates every subscription that waited for it. Messages that arrived meanwhile are in the history, so none
     * is missed, up to the history's size.
     */
    private void finishHistory(String topic, List<Envelope> older) {
        List<TopicHistories.Waiting> waiting = histories.readDone(topic, older);
        List<Envelope> history = histories.of(topic);
        for (TopicHistories.Waiting each : waiting) {
            activate(each.subscription(), history, each.after());
        }
    }

    /** Subscribes to joins and leaves on a topic, first handing the handler everyone present (PRESENT events). */
    Registration subscribePresence(UI ui, String topic, MessageHandler<PresenceEvent> handler) {
        Subscription subscription = add(ui, Presences.EVENTS_PREFIX + topic, PresenceEvent.class,
                (eventTopic, event) -> handler.onMessage((PresenceEvent) event), false, null);
        control(() -> activate(subscription, presences.snapshot(topic)));
        return subscription;
    }

    /** Makes the page present on a topic until the registration is removed or the page detaches. */
    PresenceRegistration join(UI ui, String topic, Object descriptor) {
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

    /**
     * Announces a page's presence again, after it had left because its push connection was lost; in the fan-out,
     * only if the page still holds it then (it may have left meanwhile, or lost its connection again).
     */
    void rejoin(UiEndpoint endpoint, PresenceJoin join) {
        if (!closing) {
            control(() -> {
                if (endpoint.announces(join)) {
                    presences.localJoin(join.member);
                }
            });
        }
    }

    /**
     * Ends a page's presence because its push connection stayed lost; in the fan-out, only if it is still lost then:
     * a return that came first must not be undone by a leave queued before it.
     */
    void leaveWhileAway(UiEndpoint endpoint, PresenceJoin join) {
        if (!closed) {
            control(() -> {
                if (endpoint.isAway()) {
                    presences.localLeave(join.member);
                }
            });
        }
    }

    /**
     * Runs {@code action} on the timer thread once the disconnect grace has passed: a page whose push connection was
     * lost leaves its presence then, unless it reconnected.
     */
    ScheduledFuture<?> afterDisconnectGrace(Runnable action) {
        return timer.schedule(action, disconnectGraceNanos);
    }

    /** Who is present on a topic, on every node, in the order they joined. */
    List<Presence> present(String topic) {
        return presences.present(topic);
    }

    private void activate(Subscription subscription, List<Envelope> snapshot) {
        if (subscription.isActive()) {
            subscription.endpoint.enqueue(new Activation(subscription, snapshot, false));
        }
    }

    /** Activates a history subscription from after the message it last saw ({@code null}: from the start). */
    private void activate(Subscription subscription, List<Envelope> history, HistoryCursor.Position after) {
        if (subscription.isActive()) {
            Set<PageIds.PageId> pages = after == null ? Set.of() : after.pages();
            HistoryCursor.Resumption resumption = HistoryCursor.resume(history, after, number,
                    histories.lastDropped(subscription.topic), kept -> histories.sentToOthersBy(kept, pages));
            subscription.endpoint.enqueue(new Activation(subscription, resumption.snapshot(), resumption.restarted()));
        }
    }

    /** How many of a topic's messages the hub keeps (for the transport, which keeps them in the engine too). */
    int historySize(String topic) {
        return histories.size(topic);
    }

    /**
     * Connects presence to the other nodes: protocol messages go out through the cluster. Called before the
     * transport starts, so that nothing it receives meets a hub that is not ready for it; nothing is sent until
     * {@link #clusterStarted}.
     */
    void enableCluster(Cluster cluster, java.time.Duration heartbeatEvery) {
        this.cluster = cluster;
        this.heartbeatNanos = heartbeatEvery.toNanos();
        this.presences = new Presences(this, cluster.nodeId(), cluster::sendProtocol, 100,
                tell -> timer.schedule(() -> control(tell), Presences.WINDOW.toNanos()));
    }

    /**
     * Once the transport has started: asks the other nodes for their presence entries, and starts the heartbeat.
     * Not sooner: a transport may only be published to once started.
     */
    void clusterStarted() {
        Presences clustered = presences;
        long every = heartbeatNanos;
        control(clustered::joinCluster);
        timer.repeat(() -> control(() -> clustered.heartbeat(System.nanoTime(), 3 * every)), every);
    }

    void unsubscribe(UI ui) {
        UiEndpoint endpoint = index.get(ui);
        if (endpoint != null) {
            endpoint.removeBroadcast();
        }
    }

    void unsubscribeTopic(UI ui, String topic) {
        UiEndpoint endpoint = index.get(ui);
        if (endpoint != null) {
            endpoint.removeTopic(topic);
        }
    }

    void unsubscribeAll(UI ui) {
        UiEndpoint endpoint = index.get(ui);
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** How many handlers the page holds on this hub, over all topics. */
    int subscriptionCount(UI ui) {
        UiEndpoint endpoint = index.get(ui);
        return endpoint == null ? 0 : endpoint.subscriptionCount();
    }

    void forget(UiEndpoint endpoint) {
        index.forget(endpoint);
    }

    SubscriptionIndex index() {
        return index;
    }

    /**
     * Once per hub: if the application's shell has no {@code @Push} and this page has no push either, says how to
     * turn it on. Decided from the application, not from one page: a test's mocked page has push off, and is
     * not worth a warning (its application has no shell there). An application without a shell gets no warning
     * either: in Vaadin 24 and later {@code @Push} goes only on a shell, so such an application configures push
     * some other way (an init parameter, per page in code), or has chosen to run without it.
     */
    private void warnIfNoPush(UI ui) {
        if (pushChecked.get() || !pushChecked.compareAndSet(false, true)) {
            return;
        }
        Class<?> shell;
        try {
            VaadinSession session = ui.getSession();
            shell = session == null ? null : AppShellRegistry.getInstance(session.getService().getContext()).getShell();
        } catch (RuntimeException unusualSetup) {
            // a session without a service or context (a hand-built test setup): no shell to judge, and a
            // subscription must not fail for a warning
            return;
        }
        if (shell != null && !shell.isAnnotationPresent(Push.class) && !ui.getPushConfiguration().getPushMode().isEnabled()) {
            LOG.warn("flow-pubsub: the application has no server push, so messages reach a browser only with its next "
                    + "request. Add @Push to {} (com.vaadin.flow.component.page.Push). This warning is shown once.",
                    shell.getName());
        }
    }

    // ---- sending --------------------------------------------------------------------------------

    /**
     * Charges a page's send to its browser session's budget.
     *
     * @throws PubSubSendRefusedException if the session has used up its budget
     */
    void chargeBudget(UI ui) {
        VaadinSession session = ui.getSession();
        if (budgets == null || session == null) {
            return; // a detached page has no user left to send for it
        }
        SendBudgets.Verdict verdict = budgets.charge(session);
        if (verdict == SendBudgets.Verdict.ALLOWED) {
            return;
        }
        counters.refused.increment();
        if (verdict == SendBudgets.Verdict.REFUSED_FIRST) {
            LOG.warn("flow-pubsub: the browser session of UI {} sends more than its budget of {} messages/s (bursts "
                    + "of {}): its sends are refused with PubSubSendRefusedException. Further refusals for this "
                    + "session are only counted (PubSubHub.stats().refused()).", ui.getUIId(), budgets.rate(),
                    budgets.burst());
        }
        throw new PubSubSendRefusedException(PubSubSendRefusedException.Reason.SEND_BUDGET,
                "UI " + ui.getUIId() + " sends too fast: its browser session may send " + budgets.rate()
                        + " messages per second, in bursts of up to " + budgets.burst() + " (pubsub.send-budget.*)");
    }

    /**
     * Takes a place in the inbox for one page message: a page's send is refused when the inbox is full, a send from
     * server code waits for room up to the send timeout. Call before {@link #publishAdmitted}, outside any lock.
     *
     * @throws PubSubSendRefusedException if there is no room
     */
    void admit(Sender sender) {
        ensureOpen();
        if (inbox.tryReserve()) {
            return;
        }
        boolean admitted = false;
        if (sender == Sender.SERVER) {
            try {
                admitted = inbox.reserve(sendTimeoutNanos);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            ensureOpen();
        }
        if (!admitted) {
            counters.refused.increment();
            throw new PubSubSendRefusedException(PubSubSendRefusedException.Reason.INBOX_FULL, sender == Sender.PAGE
                    ? "the hub's inbox is full (" + inbox.capacity() + " messages): it cannot take messages this fast; "
                            + "try again in a moment"
                    : "the hub's inbox stayed full (" + inbox.capacity() + " messages) for "
                            + Duration.ofNanos(sendTimeoutNanos).toMillis() + " ms: the fan-out cannot keep up with "
                            + "what is sent (pubsub.inbox-capacity, pubsub.send-timeout)");
        }
    }

    /** Gives back a place taken by {@link #admit} when the message is not published after all. */
    void unadmit() {
        inbox.release();
    }

    /** Accepts a message admitted with {@link #admit} and returns at once; never runs a handler on the caller's thread. */
    void publishAdmitted(Envelope envelope) {
        counters.sent.increment();
        enqueue(envelope);
    }

    /** {@link #admit} and {@link #publishAdmitted} in one. */
    void publish(Envelope envelope, Sender sender) {
        admit(sender);
        publishAdmitted(envelope);
    }

    /**
     * Accepts a message that another node sent, for delivery to this node's pages. While the inbox is full this
     * waits, so the transport's reader pauses reading; the hub's own protocol never waits.
     */
    void publishRemote(Envelope envelope) {
        if (closed) {
            return;
        }
        if (envelope.isPageMessage()) {
            try {
                if (!inbox.reserve(Long.MAX_VALUE)) {
                    return; // closed meanwhile
                }
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        enqueue(envelope);
    }

    /** Runs {@code action} in the fan-out task, after everything sent before and before anything sent after. */
    void control(Runnable action) {
        if (!closed) {
            enqueue(new Control(action));
        }
    }

    private void enqueue(InboxItem item) {
        inbox.add(item);
        if (!fanOutScheduled.get() && fanOutScheduled.compareAndSet(false, true)) {
            tasks.submit(this::fanOut);
        }
    }

    /* --- Fan-out --- */

    private void fanOut() {
        try {
            drainInbox();
        } finally {
            fanOutScheduled.set(false);
            // a publisher may have added an item after the last poll and seen the flag still set; and after a fatal
            // error the items left must still go out
            if (!inbox.isEmpty() && !closed && fanOutScheduled.compareAndSet(false, true)) {
                tasks.submit(this::fanOut);
            }
        }
    }

    @SuppressWarnings("ReferenceEquality") // pages are compared by identity: a UI is one browser tab
    private void drainInbox() {
        List<Envelope> run = new ArrayList<>(MAX_RUN);
        InboxItem item;
        while ((item = inbox.poll()) != null) {
            try {
                switch (item) {
                    case Control control -> control.action().run();
                    case Envelope envelope when !envelope.isPageMessage() -> fanOutProtocol(envelope);
                    case Envelope first -> {
                        // a busy stream: take the following messages for the same pages too, visit each page once
                        run.add(first);
                        histories.remember(first);
                        while (run.size() < MAX_RUN && inbox.peek() instanceof Envelope next && next.isPageMessage()
                                && Objects.equals(next.topic(), first.topic()) && next.skip() == first.skip()) {
                            inbox.poll();
                            run.add(next);
                            histories.remember(next);
                        }
                        fanOut(run);
                    }
                }
            } catch (Throwable unexpected) {
                LOG.error("flow-pubsub: fan-out of {} failed", item, unexpected);
                if (Failures.isFatal(unexpected)) {
                    throw unexpected;
                }
            } finally {
                run.clear();
            }
        }
    }

    @SuppressWarnings("ReferenceEquality") // pages are compared by identity: a UI is one browser tab
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

    /** A presence protocol message from another node. */
    private void fanOutProtocol(Envelope envelope) {
        if (Presences.PROTOCOL_TOPIC.equals(envelope.topic()) && envelope.origin() != null) {
            presences.onRemote(envelope.origin(), envelope.message(), System.nanoTime(), heartbeatNanos);
        }
    }

    /** Hands a message to the queue of every page subscribed to it (fan-out task). */
    @SuppressWarnings("ReferenceEquality") // pages are compared by identity: a UI is one browser tab
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
        return index.targetsOf(envelope);
    }

    /* --- Delivery --- */

    /** Makes a page's batch run soon, on a delivery lane. */
    void schedule(UiEndpoint endpoint) {
        lanes.schedule(endpoint);
    }

    /** Like {@link #schedule} once {@code delayNanos} have passed (the minimum batch interval). */
    void scheduleAfter(UiEndpoint endpoint, long delayNanos) {
        pacer.holdBack(endpoint, delayNanos);
    }

    /** Like {@link #schedule} once the page's last push has been written. */
    void scheduleAfterPush(UiEndpoint endpoint, PushWatch.WatchedPushConnection connection) {
        pushWaits.await(endpoint, connection);
    }

    void submit(Runnable task) {
        tasks.submit(task);
    }

    /** Whether the timer thread was started; and, after close, whether it has stopped. */
    boolean timerStarted() {
        return timer.isStarted();
    }

    boolean timerTerminated() {
        return timer.isTerminated();
    }

    /**
     * Waits until every message published so far has been fanned out and each page's batch has either
     * run or been handed to its session's access queue (where it runs when the session's lock holder
     * releases it).
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return tasks.awaitIdle(timeout, () -> !inbox.isEmpty() || lanes.hasWaiting());
    }

    // ---- bookkeeping ----------------------------------------------------------------------------

    void subscriptionAdded() {
        counters.subscriptions.increment();
    }

    void subscriptionsRemoved(int count) {
        counters.subscriptions.add(-count);
    }

    void pendingAdded() {
        counters.pending.increment();
    }

    void pendingAdded(int count) {
        counters.pending.add(count);
    }

    void pendingRemoved(int count) {
        counters.pending.add(-count);
    }

    Latencies latencies() {
        return latencies;
    }

    /** Whether a message came from another node through the transport, for the latency meters. */
    boolean fromOtherNode(Envelope envelope) {
        Cluster clusterNow = cluster;
        return clusterNow != null && envelope.origin() != null && !envelope.origin().equals(clusterNow.nodeId());
    }

    void batchStarted() {
        counters.batches.increment();
    }

    void delivered() {
        counters.delivered.increment();
    }

    void droppedFor(UI ui, int capacity, boolean firstForThisPage) {
        counters.dropped.increment();
        if (firstForThisPage) {
            LOG.warn("flow-pubsub: UI {} cannot keep up: its queue of {} pending messages is full, so messages "
                            + "are dropped ({}). Further drops for this page are only counted (PubSubHub.stats().dropped()).",
                    ui.getUIId(), capacity, overflowPolicy);
        }
    }

    void handlerFailed(UI ui, Envelope envelope, Throwable failure) {
        counters.failed.increment();
        DeliveryError error = new DeliveryError(ui.getUIId(), envelope.topic(), envelope.message().getClass(), failure);
        try {
            errorHandler.onError(error);
        } catch (Throwable handlerFailure) {
            LOG.error("flow-pubsub: the DeliveryErrorHandler threw while reporting: " + error.describe(), handlerFailure);
            if (Failures.isFatal(handlerFailure)) {
                throw handlerFailure;
            }
        }
    }

    PubSubStats stats(Cluster cluster) {
        return counters.snapshot(index.pageCount(), index.topicCount(), inbox.size(), pushWaits.size(), cluster);
    }

    // ---- lifecycle ------------------------------------------------------------------------------

    boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closing) {
            throw new IllegalStateException("this PubSub hub is closed (its Vaadin service was destroyed, or close() "
                    + "was called): nothing can be sent or subscribed through it any more");
        }
    }

    /**
     * The first step of closing a hub with a transport: refuses new sends and subscriptions, ends every page's
     * presence and lets the fan-out hand the leaves to the transport (waiting up to {@link #LEAVE_TIMEOUT}), so the
     * other nodes drop this node's entries at once instead of after three missed heartbeats. Then the transport
     * is closed (flushing what it holds), then {@link #close}.
     */
    void leaveAll() {
        if (closing) {
            return;
        }
        closing = true;
        for (UiEndpoint endpoint : index.pages()) {
            endpoint.leaveAll();
        }
        Presences clustered = presences;
        control(clustered::tellNow); // now, not at the end of the window: the transport closes next
        try {
            awaitIdle(LEAVE_TIMEOUT);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ends every subscription, forgets pending messages and stops the owned executor. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closing = true;
        closed = true;
        inbox.close();
        lanes.close();
        for (UiEndpoint endpoint : index.pages()) {
            endpoint.close();
        }
        pacer.close();
        pushWaits.close();
        timer.close();
        tasks.close();
    }
}
