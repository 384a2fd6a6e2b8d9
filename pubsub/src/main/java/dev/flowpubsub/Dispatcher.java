package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The coordinator of a hub's delivery on this server. It takes what is sent into the inbox and hands the rest to one
 * small class each: {@link FanOut} (the inbox to pages' queues), {@link Page} (each page's subscriptions, queue,
 * presence and access to Vaadin), {@link SubscriptionIndex} (who is subscribed to what), {@link HubInbox} (the bounded
 * inbox), {@link DeliveryLanes}, {@link BatchPacer} and {@link PushWaits} (who runs pages' batches, and when),
 * {@link Tasks} and {@link HubTimer} (the hub's threads), {@link TopicHistories} and {@link HistoryStarts},
 * {@link Presences}, {@link SendBudgets}, {@link DeliveryReports} and {@link Counters}; what this node sends goes
 * through its {@link Outbound} path first. Not API.
 *
 * <h2>Concurrency</h2>
 * Sends may come from any thread and only append to the inbox (a send from server code may wait for room in a full
 * inbox, up to its timeout, holding no lock). One fan-out task at a time takes items from the inbox in order:
 * messages, which it appends to the queue of every subscribed page, and control items (a subscription taking its
 * snapshot, a presence change), which it runs between two messages. That gives every page the same order of local
 * messages, and snapshots taken at one point of it. Pages with messages wait for one of a few delivery lanes, which
 * runs each page's batch under its session's lock, never on the sender's thread. The fan-out task owns the histories
 * and presence state; everything else is concurrent or guarded by the page's own monitor. What this gives
 * applications is stated once, in {@code docs/guarantees.md}.
 */
final class Dispatcher implements Inbound {

    /** Topics starting with this are the hub's own (presence); user topics may not contain it. */
    static final String INTERNAL = "\u0000";
    /** How long a topic's first subscriber waits for the engine's history once read (see {@code Transport.history}). */
    static final Duration HISTORY_TIMEOUT = Duration.ofSeconds(3);
    /** How long closing a clustered hub waits for its presence leaves to reach the transport. */
    private static final Duration LEAVE_TIMEOUT = Duration.ofSeconds(2);
    /** Hubs created in this JVM, numbered: a component's history cursor tells one hub's messages from another's. */
    private static final AtomicLong HUBS = new AtomicLong();

    /** Who sends: a page on behalf of its user (budgeted, refused when the inbox is full), or server code (waits). */
    enum Sender { PAGE, SERVER }

    private final long number = HUBS.incrementAndGet();
    private final HubTimer timer = new HubTimer();
    private final Tasks tasks;
    private final DeliveryLanes lanes;
    private final BatchPacer pacer;
    private final PushWaits pushWaits;
    private final HubInbox inbox;
    private final SendGate gate;
    private final SubscriptionIndex index = new SubscriptionIndex();
    private final PageIds pageIds = new PageIds();
    private final TopicHistories histories;
    private final Counters counters = new Counters();
    private final Latencies latencies = new Latencies();
    private final Outbound outbound;
    private final Presences presences;
    /** With other nodes: how often this node tells them it is alive; 0 alone. */
    private final long heartbeatNanos;
    private final PresenceRelay relay;
    private final FanOut fanOut;
    private final HistoryStarts historyStarts;
    private final PageServices pageServices;
    private final PushCheck pushCheck = new PushCheck();
    private final AtomicLong joinIds = new AtomicLong();
    /** Set when the hub starts closing: nothing new is accepted, but the hub's own work (leaves) still runs. */
    private volatile boolean closing;
    private volatile boolean closed;

    Dispatcher(DispatcherSettings settings, Outbound outbound) {
        this.outbound = Arguments.notNull(outbound, "outbound");
        long disconnectGraceNanos = Arguments.notNull(settings.disconnectGrace(), "disconnectGrace").toNanos();
        this.histories = new TopicHistories(Arguments.notNull(settings.historyPolicy(), "historyPolicy"),
                settings.historyTopics(), pageIds);
        this.tasks = new Tasks(settings.executor(), timer);
        this.lanes = new DeliveryLanes(tasks, settings.maxLanes());
        this.pacer = new BatchPacer(timer, tasks, lanes);
        this.pushWaits = new PushWaits(timer, tasks, lanes);
        this.inbox = new HubInbox(settings.inboxCapacity());
        this.gate = new SendGate(settings.sendRate() > 0 ? new SendBudgets(settings.sendRate(), settings.sendBurst()) : null,
                inbox, counters, Arguments.notNull(settings.sendTimeout(), "sendTimeout").toNanos(), () -> closing);
        this.heartbeatNanos = outbound.presenceHeartbeat().map(Duration::toNanos).orElse(0L);
        this.relay = new PresenceRelay(timer, this::control, heartbeatNanos);
        this.fanOut = new FanOut(inbox, index, histories, tasks, relay::onRemote);
        // without other nodes there is nothing to gather presence changes for: told (to no one) at once
        this.presences = new Presences(fanOut::handNow, outbound.instanceId(), outbound::sendProtocol, 100,
                heartbeatNanos > 0 ? relay : Runnable::run);
        relay.serve(presences);
        this.historyStarts = new HistoryStarts(histories, outbound, tasks::submit, this::control, number);
        this.pageServices = new PageServices(Arguments.positive(settings.queueCapacity(), "queueCapacity"),
                Arguments.notNull(settings.overflowPolicy(), "overflowPolicy"),
                Arguments.notNull(settings.minBatchInterval(), "minBatchInterval").toNanos(), index, counters, latencies,
                new PageRuns(lanes, pacer, pushWaits, timer, disconnectGraceNanos),
                new PresenceLinks(presences, this::control, () -> closing, () -> closed),
                new DeliveryReports(counters, Arguments.notNull(settings.errorHandler(), "errorHandler"),
                        settings.overflowPolicy(), outbound));
    }

    /** Runs page work (a shared signal's effects) on the hub's executor, counted by {@link #awaitIdle}. */
    SignalEffects.PageWork pageWork() {
        return new SignalEffects.PageWork(tasks::submit, tasks::begin, tasks::done, timer);
    }

    /** What owned shared-signal entries need: presence, the executor and timer, the silence after which a node is gone. */
    SignalOwners.Hooks ownerHooks() {
        return new SignalOwners.Hooks(this, new PresenceLinks(presences, this::control, () -> closing, () -> closed),
                presences, tasks::submit, timer,
                outbound.instanceId(), 3 * heartbeatNanos);
    }

    /** The hub's page of {@code ui}, if it has one; for tests. */
    @Nullable Page page(UI ui) {
        return index.get(ui);
    }

    /**
     * Once the outbound path has started: asks the other nodes for their presence entries, and starts the heartbeat.
     * Not sooner: a transport may only be published to once started.
     */
    void started() {
        if (heartbeatNanos > 0) {
            relay.started();
        }
    }

    @Override
    public void nodeGone(String node) { relay.nodeGone(node); }

    @Override
    public void presenceMissed() { relay.askEveryone(); }

    /* --- Subscribing --- */

    /**
     * Subscribes a handler of a page. The caller holds the page's session lock (checked by the public API).
     *
     * @param topic null for a broadcast subscription
     * @param type  null for every message
     */
    Registration subscribe(UI ui, @Nullable String topic, @Nullable Class<?> type, TopicMessageHandler<Object> handler) {
        return add(ui, topic, type, handler, true, null);
    }

    private Subscription add(UI ui, @Nullable String topic, @Nullable Class<?> type, TopicMessageHandler<Object> handler,
                             boolean live, @Nullable HistoryCursor cursor) {
        gate.ensureOpen();
        pushCheck.check(ui);
        for (;;) {
            Page page = pageOf(ui);
            Subscription subscription = new Subscription(page, topic, type, handler, live, cursor);
            if (page.add(subscription)) {
                return TakenDuring.note(subscription);
            }
            // the page closed between lookup and add (its last subscription ended): take a fresh one
        }
    }

    private Page pageOf(UI ui) {
        return index.getOrCreate(ui, key -> new Page(key, new VaadinPageAccess(key), pageServices), Page::watchDetach);
    }

    /**
     * Subscribes to a topic, first handing the handler the topic's history: the messages kept for it when the
     * subscription starts in the hub's order, then every message after that point, with no gap and no repeat. With
     * a transport, the first subscriber of a topic on this node also reads what the engine keeps of it, once, in the
     * background (see {@link #HISTORY_TIMEOUT}), and the hub merges that with what it received. With a
     * {@code cursor} (a component attached again) the history is handed from after the last message it saw, if it
     * still holds it (see {@link HistoryCursor#resume}); the cursor is read under the page's session lock, held.
     */
    Registration subscribeWithHistory(UI ui, String topic, @Nullable Class<?> type,
                                      TopicMessageHandler<Object> handler, @Nullable HistoryCursor cursor) {
        Subscription subscription = add(ui, topic, type, handler, false, cursor);
        HistoryCursor.Position after = cursor == null ? null : cursor.follow(number, pageIds.of(ui));
        control(() -> historyStarts.start(topic, subscription, after));
        return subscription;
    }

    /** Subscribes to joins and leaves on a topic, first handing the handler everyone present (PRESENT events). */
    Registration subscribePresence(UI ui, String topic, MessageHandler<PresenceEvent> handler) {
        Subscription subscription = add(ui, Presences.EVENTS_PREFIX + topic, PresenceEvent.class,
                (eventTopic, event) -> handler.onMessage((PresenceEvent) event), false, null);
        control(() -> {
            if (subscription.isActive()) {
                subscription.page().enqueue(new Activation(subscription, presences.snapshot(topic), false));
            }
        });
        return subscription;
    }

    /** Makes the page present on a topic until the registration is removed or the page detaches. */
    PresenceRegistration join(UI ui, String topic, Object descriptor) {
        gate.ensureOpen();
        String node = outbound.instanceId();
        Presences.Member member = new Presences.Member(topic, node + "-" + joinIds.incrementAndGet(), descriptor,
                System.currentTimeMillis(), node);
        for (;;) {
            Page page = pageOf(ui);
            PresenceJoin join = new PresenceJoin(page, member);
            if (page.addJoin(join)) {
                control(() -> presences.localJoin(member));
                return TakenDuring.note(join);
            }
        }
    }

    /** Who is present on a topic, on every node, in the order they joined. */
    List<Presence> present(String topic) {
        return presences.present(topic);
    }

    void unsubscribe(UI ui) {
        Page page = index.get(ui);
        if (page != null) {
            page.removeBroadcast();
        }
    }

    void unsubscribeTopic(UI ui, String topic) {
        Page page = index.get(ui);
        if (page != null) {
            page.removeTopic(topic);
        }
    }

    void unsubscribeAll(UI ui) {
        Page page = index.get(ui);
        if (page != null) {
            page.close();
        }
    }

    /** How many handlers the page holds on this hub, over all topics. */
    int subscriptionCount(UI ui) {
        Page page = index.get(ui);
        return page == null ? 0 : page.subscriptionCount();
    }

    /** How many of a topic's messages the hub keeps (for the transport, which keeps them in the engine too). */
    @Override
    public int historySize(String topic) {
        return histories.size(topic);
    }

    /* --- Sending --- */

    /**
     * Charges a page's send to its browser session's budget.
     *
     * @throws PubSubSendRefusedException if the session has used up its budget
     */
    void chargeBudget(UI ui) {
        gate.charge(ui);
    }

    @Override
    public void admit(Sender sender) {
        gate.admit(sender);
    }

    /** Accepts a message admitted with {@link #admit} and returns at once; never runs a handler on the caller's thread. */
    @Override
    public void publishAdmitted(Envelope envelope) {
        counters.sent.increment();
        enqueue(envelope);
    }

    /**
     * Accepts a message that another node sent, for delivery to this node's pages. While the inbox is full this
     * waits, so the transport's reader pauses reading; the hub's own protocol never waits.
     */
    @Override
    public void publishRemote(Envelope envelope) {
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

    @Override
    public Latencies latencies() {
        return latencies;
    }

    /** Runs {@code action} in the fan-out task, after everything sent before and before anything sent after. */
    void control(Runnable action) {
        if (!closed) {
            enqueue(new Control(action));
        }
    }

    private void enqueue(InboxItem item) {
        inbox.add(item);
        fanOut.schedule();
    }

    /* --- Settings, counts and lifecycle --- */

    int queueCapacity() {
        return pageServices.queueCapacity();
    }

    OverflowPolicy overflowPolicy() {
        return pageServices.overflowPolicy();
    }

    /** The shortest time between two batches of one page, in nanoseconds; 0 when a batch may start at once. */
    long minBatchIntervalNanos() {
        return pageServices.minBatchIntervalNanos();
    }

    int maxLanes() {
        return lanes.maxLanes();
    }
    int inboxCapacity() {
        return inbox.capacity();
    }

    /** Tells the other nodes this node's presence changes now, not at the end of their window; were there any? */
    boolean tellPresenceNow() {
        return !closed && relay.tellNow();
    }

    HubTimer timer() { // for tests: whether its thread started, and stopped after close
        return timer;
    }

    /**
     * Waits until every message published so far has been fanned out and each page's batch has either run or been
     * handed to its session's access queue (where it runs when the session's lock holder releases it).
     */
    boolean awaitIdle(Duration timeout) throws InterruptedException {
        return tasks.awaitIdle(timeout, () -> !inbox.isEmpty() || lanes.hasWaiting());
    }

    PubSubStats stats() {
        return counters.snapshot(index.pageCount(), index.topicCount(), inbox.size(), pushWaits.size(),
                outbound.counts());
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * The first step of closing a hub with other nodes: refuses new sends and subscriptions, ends every page's
     * presence and lets the fan-out hand the leaves to the outbound path (waiting up to {@link #LEAVE_TIMEOUT}), so the
     * other nodes drop this node's entries at once instead of after three missed heartbeats. Then the outbound path
     * is closed (flushing what it holds), then {@link #close}.
     */
    void leaveAll() {
        if (closing) {
            return;
        }
        closing = true;
        for (Page page : index.pages()) {
            page.leaveAll();
        }
        control(relay::tellNow); // after the leaves, not at the end of the window: the transport closes next
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
        for (Page page : index.pages()) {
            page.close();
        }
        pacer.close();
        pushWaits.close();
        timer.close();
        tasks.close();
    }
}
