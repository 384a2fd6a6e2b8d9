package dev.flowpubsub;

import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.DetachEvent;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.shared.communication.PushMode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the hub keeps for one page (UI): its subscriptions and its bounded queue of pending
 * messages. It exists while the page holds at least one subscription and is dropped, queue included,
 * when the last one ends or the UI detaches.
 *
 * <p>Threading: all fields are guarded by this object's monitor, which is only ever held for a few
 * field updates and never while a handler runs or while a Vaadin lock is being taken. Messages are
 * enqueued by the dispatcher's single fan-out task; they are handled by {@link #runBatch()} inside
 * {@code ui.access(...)}, so at most one batch of a page runs at a time and in queue order.
 */
final class UiEndpoint implements PushWatch.PushListener, DeliveryLanes.Page {

    private static final Logger LOG = LoggerFactory.getLogger(UiEndpoint.class);

    private static final Subscription[] NONE = new Subscription[0];
    /** How long a page whose drain Vaadin refused waits before it is drained again. */
    private static final long DRAIN_RETRY_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(10);

    /** Hands out {@link #order}. */
    private static final AtomicLong CREATED = new AtomicLong();

    private final Dispatcher dispatcher;
    final UI ui;
    /**
     * When this endpoint was made, relative to the others: the subscription index keeps pages in this order, so a
     * fan-out visits them in the order their objects were allocated (see {@link SubscriptionIndex}).
     */
    final long order = CREATED.incrementAndGet();

    /** Written under this object's monitor, read without it by the page's batch: replaced, never changed in place. */
    private volatile Subscription[] broadcast = NONE;
    /** Like {@link #broadcast}: a new map on every change; {@code null} while the page has no topic subscription. */
    private volatile Map<String, Subscription[]> topics;
    private int subscriptionCount;

    /** Pending {@link Envelope}s and {@link Activation}s, oldest first; {@code null} while empty, so an idle page costs no queue. */
    private ArrayDeque<PageItem> queue;
    /**
     * With a minimum interval between batches: the {@code System.nanoTime()} before which this page's next batch
     * does not start; 0 before the first batch. Written by the lane running a batch, read by whoever schedules the
     * next one.
     */
    private volatile long nextBatchAt;
    /** Presence entries of this page; they leave when it detaches. */
    private List<PresenceJoin> joins;
    /** Ends the page's presence once the disconnect grace has passed; set while its push connection is lost. */
    private ScheduledFuture<?> disconnectGrace;
    /** True once the page left its presence because its push connection stayed lost; it joins again when back. */
    private boolean presenceSuspended;
    /** True from the moment a drain is submitted until a batch finds the queue empty; the queue is never non-empty while false. */
    private boolean drainScheduled;
    /** How many of the queue's items are {@link Activation}s, which take no place of a message. */
    private int activations;
    /** Counts the batches this page's drains took, so a drain that failed can tell whether its batch ran. */
    private int batchesTaken;
    private boolean overflowWarned;
    private boolean pushFailureWarned;
    private boolean closed;
    private Registration detachRegistration;

    UiEndpoint(Dispatcher dispatcher, UI ui) {
        this.dispatcher = dispatcher;
        this.ui = ui;
    }

    /** Called once, right after this endpoint was published in the subscription index, under the UI's session lock. */
    void watchDetach() {
        Registration registration = ui.addDetachListener(new DetachWatch(this));
        boolean closedMeanwhile;
        synchronized (this) {
            closedMeanwhile = closed;
            detachRegistration = registration;
        }
        if (closedMeanwhile) {
            registration.remove();
        }
    }

    /**
     * The page's detach listener. It lives in the UI, which Vaadin may serialize with its session (session
     * persistence, replication): the hub's state of the page is not serialized with it. Read back, the page has
     * none of its subscriptions or presences any more, page-scoped or component-scoped (a view read back can
     * subscribe again), and one log line says how many ended.
     */
    static final class DetachWatch implements ComponentEventListener<DetachEvent> {

        private static final long serialVersionUID = 1L;

        /** The page's state; {@code null} in a watch read back from a serialized session, which does nothing. */
        private final transient UiEndpoint endpoint;

        DetachWatch(UiEndpoint endpoint) {
            this.endpoint = endpoint;
        }

        @Override
        public void onComponentEvent(DetachEvent event) {
            if (endpoint != null) {
                endpoint.close();
            }
        }

        /** Serialized as what the page held then, so the live watch carries no field for it (one per page). */
        @java.io.Serial
        private Object writeReplace() {
            if (endpoint == null) {
                return new SerializedWatch(-1, 0, 0);
            }
            int subscriptions;
            int presences;
            synchronized (endpoint) {
                subscriptions = endpoint.subscriptionCount;
                presences = endpoint.joins == null ? 0 : endpoint.joins.size();
            }
            return new SerializedWatch(endpoint.ui.getUIId(), subscriptions, presences);
        }
    }

    /** A {@link DetachWatch} as serialized: read back, it says what ended and becomes a watch that does nothing. */
    record SerializedWatch(int uiId, int subscriptions, int presences) implements java.io.Serializable {

        @java.io.Serial
        private Object readResolve() {
            if (subscriptions + presences > 0) {
                LOG.info("flow-pubsub: UI {} was read back from a serialized session: its {} page-scoped "
                        + "subscription(s) and {} presence(s) ended with it (the hub's state is not serialized)",
                        uiId, subscriptions, presences);
            }
            return new DetachWatch(null);
        }
    }

    // ---- subscriptions --------------------------------------------------------------------------

    /** Adds a subscription; false when this endpoint was closed meanwhile and the caller must retry with a fresh one. */
    boolean add(Subscription subscription) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (subscription.topic == null) {
                broadcast = append(broadcast, subscription);
                if (broadcast.length == 1) {
                    dispatcher.index().indexBroadcast(this);
                }
            } else {
                Map<String, Subscription[]> next = topics == null ? new HashMap<>(4) : new HashMap<>(topics);
                Subscription[] onTopic = append(next.getOrDefault(subscription.topic, NONE), subscription);
                next.put(subscription.topic, onTopic);
                topics = next;
                if (onTopic.length == 1) {
                    dispatcher.index().indexTopic(subscription.topic, this);
                }
            }
            subscriptionCount++;
            dispatcher.subscriptionAdded();
            return true;
        }
    }

    void remove(Subscription subscription) {
        boolean nowEmpty;
        synchronized (this) {
            if (!subscription.isActive() || closed) {
                return;
            }
            subscription.deactivate();
            if (subscription.topic == null) {
                broadcast = without(broadcast, subscription);
                if (broadcast.length == 0) {
                    dispatcher.index().unindexBroadcast(this);
                }
            } else {
                Subscription[] onTopic = without(topics.get(subscription.topic), subscription);
                removeTopicIfEmpty(subscription.topic, onTopic);
            }
            subscriptionCount--;
            dispatcher.subscriptionsRemoved(1);
            nowEmpty = isEmpty();
        }
        if (nowEmpty) {
            close();
        }
    }

    /** Flet's {@code unsubscribe()}: every broadcast handler of this page. */
    void removeBroadcast() {
        boolean nowEmpty;
        synchronized (this) {
            if (closed || broadcast.length == 0) {
                return;
            }
            for (Subscription s : broadcast) {
                s.deactivate();
            }
            int removed = broadcast.length;
            broadcast = NONE;
            dispatcher.index().unindexBroadcast(this);
            subscriptionCount -= removed;
            dispatcher.subscriptionsRemoved(removed);
            nowEmpty = isEmpty();
        }
        if (nowEmpty) {
            close();
        }
    }

    /** Flet's {@code unsubscribe_topic(topic)}: every handler of this page on that topic. */
    void removeTopic(String topic) {
        boolean nowEmpty;
        synchronized (this) {
            Subscription[] onTopic = (closed || topics == null) ? null : topics.get(topic);
            if (onTopic == null) {
                return;
            }
            for (Subscription s : onTopic) {
                s.deactivate();
            }
            removeTopicIfEmpty(topic, NONE);
            subscriptionCount -= onTopic.length;
            dispatcher.subscriptionsRemoved(onTopic.length);
            nowEmpty = isEmpty();
        }
        if (nowEmpty) {
            close();
        }
    }

    private void removeTopicIfEmpty(String topic, Subscription[] remaining) {
        Map<String, Subscription[]> next = new HashMap<>(topics);
        if (remaining.length > 0) {
            next.put(topic, remaining);
            topics = next;
            return;
        }
        next.remove(topic);
        topics = next.isEmpty() ? null : next;
        dispatcher.index().unindexTopic(topic, this);
    }

    /**
     * Adds a presence entry of this page; false when this endpoint was closed meanwhile. The caller holds the page's
     * session lock: the first entry starts watching the page's push connection.
     */
    boolean addJoin(PresenceJoin join) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (joins == null) {
                joins = new ArrayList<>(2);
                PushWatch.listen(ui, this);
            }
            joins.add(join);
            return true;
        }
    }

    /* --- A page whose browser went away without saying so --- */

    /**
     * The page's push connection closed (its browser crashed, was killed, or lost its network; or the tab is being
     * closed). If it has presence entries, they end once the disconnect grace has passed, unless it is back by then.
     * Called by Flow with the page's session lock held.
     */
    @Override
    public void pushLost() {
        synchronized (this) {
            if (closed || joins == null || joins.isEmpty() || disconnectGrace != null || presenceSuspended) {
                return;
            }
            try {
                disconnectGrace = dispatcher.afterDisconnectGrace(this::disconnectGraceOver);
            } catch (java.util.concurrent.RejectedExecutionException hubClosed) {
                // the hub is closing: its pages leave anyway
            }
        }
    }

    /** The push connection is back: within the grace nothing changes; after it, the page joins again. */
    @Override
    public void pushRestored() {
        List<PresenceJoin> rejoining = null;
        synchronized (this) {
            if (disconnectGrace != null) {
                disconnectGrace.cancel(false);
                disconnectGrace = null;
            }
            if (presenceSuspended && !closed) {
                presenceSuspended = false;
                rejoining = joins == null ? null : List.copyOf(joins);
            }
        }
        if (rejoining != null) {
            for (PresenceJoin join : rejoining) {
                dispatcher.rejoin(this, join);
            }
        }
    }

    /** Timer thread: the grace is over and the page is not back; it leaves, as if the tab had closed. */
    private void disconnectGraceOver() {
        List<PresenceJoin> leaving;
        synchronized (this) {
            if (disconnectGrace == null || closed) {
                return; // back in time, or gone anyway
            }
            disconnectGrace = null;
            presenceSuspended = true;
            leaving = joins == null ? List.of() : List.copyOf(joins);
        }
        LOG.info("flow-pubsub: the push connection of UI {} has been lost for longer than the disconnect grace: "
                + "its {} presence entries leave until it is back", ui.getUIId(), leaving.size());
        for (PresenceJoin join : leaving) {
            dispatcher.leaveWhileAway(this, join);
        }
    }

    /** Fan-out task: whether this page is away (its push connection stayed lost), so its presence is to end. */
    synchronized boolean isAway() {
        return presenceSuspended && !closed;
    }

    /** Fan-out task: whether this page holds {@code join} and is not away, so it is to be announced again. */
    synchronized boolean announces(PresenceJoin join) {
        return !presenceSuspended && !closed && joins != null && joins.contains(join);
    }

    void removeJoin(PresenceJoin join) {
        boolean nowEmpty;
        synchronized (this) {
            if (closed || joins == null || !joins.remove(join)) {
                return;
            }
            nowEmpty = isEmpty();
        }
        dispatcher.leave(join.member);
        if (nowEmpty) {
            close();
        }
    }

    /** Ends every presence of this page, keeping its subscriptions: the hub is closing and tells the other nodes. */
    void leaveAll() {
        List<PresenceJoin> leaving;
        synchronized (this) {
            leaving = joins;
            joins = null;
        }
        if (leaving != null) {
            for (PresenceJoin join : leaving) {
                dispatcher.leave(join.member);
            }
        }
    }

    private boolean isEmpty() {
        return subscriptionCount == 0 && (joins == null || joins.isEmpty());
    }

    synchronized int subscriptionCount() {
        return subscriptionCount;
    }

    /**
     * Ends every subscription of this page and forgets its queue. Called when the UI detaches, on
     * {@code unsubscribeAll()}, when the last subscription ends, and when the hub closes. Idempotent.
     */
    void close() {
        Registration registration;
        List<PresenceJoin> leaving;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Subscription s : broadcast) {
                s.deactivate();
            }
            if (broadcast.length > 0) {
                dispatcher.index().unindexBroadcast(this);
            }
            broadcast = NONE;
            if (topics != null) {
                for (Map.Entry<String, Subscription[]> entry : topics.entrySet()) {
                    for (Subscription s : entry.getValue()) {
                        s.deactivate();
                    }
                    dispatcher.index().unindexTopic(entry.getKey(), this);
                }
                topics = null;
            }
            dispatcher.subscriptionsRemoved(subscriptionCount);
            subscriptionCount = 0;
            if (queue != null) {
                dispatcher.pendingRemoved(queue.size());
                queue = null;
            }
            registration = detachRegistration;
            detachRegistration = null;
            leaving = joins;
            joins = null;
            if (disconnectGrace != null) {
                disconnectGrace.cancel(false);
                disconnectGrace = null;
            }
        }
        if (leaving != null) {
            for (PresenceJoin join : leaving) {
                dispatcher.leave(join.member);
            }
        }
        dispatcher.forget(this);
        if (registration != null) {
            removeDetachListener(registration);
        }
    }

    /** The detach listener lives in the UI's component tree, which must only be touched under its session lock. */
    private void removeDetachListener(Registration registration) {
        VaadinSession session = ui.getSession();
        if (session == null) {
            return; // detached: the UI and its listener are garbage together
        }
        if (session.hasLock()) {
            registration.remove();
            return;
        }
        ui.accessLater(registration::remove, () -> {
            // detached meanwhile: nothing left to clean
        }).run();
    }

    // ---- delivery -------------------------------------------------------------------------------

    /** Called by the dispatcher's fan-out task only, so messages of one sender enter in the order they were sent. */
    void enqueue(Envelope envelope) {
        boolean schedule;
        boolean dropped;
        boolean firstDrop = false;
        int capacity = dispatcher.queueCapacity();
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue == null) {
                queue = new ArrayDeque<>(Math.min(capacity, 8));
            }
            dropped = !append(envelope, capacity);
            if (dropped) {
                firstDrop = overflowed();
            } else {
                dispatcher.pendingAdded();
            }
            schedule = claimDrain();
        }
        if (schedule) {
            scheduleDrain();
        }
        if (dropped) {
            dispatcher.droppedFor(ui, capacity, firstDrop);
        }
    }

    /**
     * Like {@link #enqueue(Envelope)} for several consecutive messages with the same targets, under one lock: the
     * fan-out of a busy stream visits each page once per run instead of once per message.
     */
    void enqueue(List<Envelope> run) {
        boolean schedule;
        int dropped = 0;
        boolean firstDrop = false;
        int capacity = dispatcher.queueCapacity();
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue == null) {
                queue = new ArrayDeque<>(Math.min(capacity, Math.max(8, run.size())));
            }
            for (Envelope envelope : run) {
                if (!append(envelope, capacity)) {
                    dropped++;
                }
            }
            dispatcher.pendingAdded(run.size() - dropped);
            if (dropped > 0) {
                firstDrop = overflowed();
            }
            schedule = claimDrain();
        }
        if (schedule) {
            scheduleDrain();
        }
        for (int i = 0; i < dropped; i++) {
            dispatcher.droppedFor(ui, capacity, firstDrop && i == 0);
        }
    }

    /**
     * Called by the fan-out task where a subscription taken with a snapshot starts. Never dropped: it is not a
     * message but the point where the subscription begins.
     */
    void enqueue(Activation activation) {
        boolean schedule;
        synchronized (this) {
            if (closed) {
                return;
            }
            if (queue == null) {
                queue = new ArrayDeque<>(8);
            }
            queue.addLast(activation);
            activations++;
            dispatcher.pendingAdded();
            schedule = claimDrain();
        }
        if (schedule) {
            scheduleDrain();
        }
    }

    /**
     * Under this monitor: appends a message, or, when the queue is full, applies the overflow policy (the oldest
     * message makes room for it, or it is refused). False when a message was dropped either way.
     */
    private boolean append(Envelope envelope, int capacity) {
        if (queue.size() - activations < capacity) {
            queue.addLast(envelope);
            return true;
        }
        // full of messages: a drain is already scheduled, since the queue is never non-empty without one
        if (dispatcher.overflowPolicy() == OverflowPolicy.DROP_OLDEST) {
            removeOldestEnvelope();
            queue.addLast(envelope);
        }
        return false;
    }

    private void removeOldestEnvelope() {
        for (java.util.Iterator<PageItem> it = queue.iterator(); it.hasNext(); ) {
            switch (it.next()) {
                case Envelope message -> {
                    it.remove();
                    return;
                }
                case Activation start -> {
                    // a subscription's start is not a message: it is never dropped
                }
            }
        }
    }

    /** Under this monitor, after a drop: whether it is this page's first (then it is logged, once per page). */
    private boolean overflowed() {
        boolean first = !overflowWarned;
        overflowWarned = true;
        return first;
    }

    /** Under this monitor, with something queued: whether the caller must schedule a drain (none is yet). */
    private boolean claimDrain() {
        if (drainScheduled) {
            return false;
        }
        drainScheduled = true;
        return true;
    }

    /**
     * A delivery lane's work for this page: run the pending batch under the page's session lock. If the lock is
     * free, take it here and run the batch directly (what {@code ui.access} would do, without queuing a task
     * for it); if another thread holds it (a request of this session), queue the batch with
     * {@code ui.accessLater}, so it runs right after that holder, and never wait for it. If the UI detaches
     * first, the batch is dropped rather than reported to Vaadin's error handler as a UIDetachedException. While
     * the page's last push is still being written, the batch waits for it ({@link PushWaits}), collecting what
     * arrives meanwhile.
     */
    @Override
    public void drain() {
        VaadinSession session = ui.getSession();
        if (session == null) {
            close();
            return;
        }
        PushWatch.WatchedPushConnection push = PushWatch.connection(ui);
        if (push != null && push.pushInFlight(System.nanoTime())) {
            // one push in flight per page: this batch runs, fuller, once the last one has been written
            dispatcher.scheduleAfterPush(this, push);
            return;
        }
        int taken;
        synchronized (this) {
            taken = batchesTaken;
        }
        try {
            if (session.getLockInstance().tryLock()) {
                try {
                    ui.accessSynchronously(this::runBatch);
                } catch (UIDetachedException detached) {
                    close();
                } finally {
                    session.unlock(); // as at the end of a request: runs the session's queued tasks, pushes
                }
            } else {
                ui.accessLater(this::runBatch, this::close).run();
            }
        } catch (RuntimeException vaadinFailure) {
            recover(vaadinFailure, taken);
        }
    }

    /**
     * Vaadin failed around this page's batch. Having taken the session's lock, this thread also runs the session's
     * other queued tasks and pushes its pages when releasing it; what fails there (a push on a broken connection, a
     * session being destroyed meanwhile) is Vaadin's, and the batch ran or is still queued with the session. But if
     * Vaadin refused before the batch ran (this thread holds another session's lock: an executor that runs tasks on
     * the caller's thread), the page would wait for a drain that never comes: it is drained again, shortly, from the
     * hub's timer thread.
     */
    private void recover(RuntimeException vaadinFailure, int taken) {
        boolean notRun;
        synchronized (this) {
            notRun = batchesTaken == taken && drainScheduled && !closed && queue != null;
        }
        LOG.warn("flow-pubsub: Vaadin failed while running the session tasks of UI {} around a delivery{}",
                ui.getUIId(), notRun ? "; the delivery is tried again shortly" : "", vaadinFailure);
        if (notRun) {
            dispatcher.scheduleAfter(this, DRAIN_RETRY_NANOS);
            return;
        }
        VaadinSession stillThere = ui.getSession();
        if (stillThere != null) {
            try {
                stillThere.getService().ensureAccessQueuePurged(stillThere);
            } catch (RuntimeException again) {
                LOG.warn("flow-pubsub: and again; the delivery runs with the session's next request", again);
            }
        }
    }

    /**
     * Hands this page to a delivery lane: at once, or, with a minimum interval between batches, when the interval
     * since the last batch has passed (messages arriving meanwhile join the waiting batch).
     */
    private void scheduleDrain() {
        long earliest = nextBatchAt;
        if (earliest != 0) {
            long wait = earliest - System.nanoTime();
            if (wait > 0) {
                dispatcher.scheduleAfter(this, wait);
                return;
            }
        }
        dispatcher.schedule(this);
    }

    /**
     * Runs inside {@code ui.access}: the page's session lock is held. Handles what is queued now, in order. However
     * the batch ends (a fatal error included), the drain flag is settled in {@code finally}, so the page is never
     * left waiting for a drain that will not come.
     */
    private void runBatch() {
        ArrayDeque<PageItem> batch;
        synchronized (this) {
            batchesTaken++;
            batch = queue;
            queue = null;
            activations = 0;
            if (closed || batch == null) {
                drainScheduled = false;
                return;
            }
            dispatcher.pendingRemoved(batch.size());
        }
        try {
            long interval = dispatcher.minBatchIntervalNanos();
            if (interval > 0) {
                nextBatchAt = (System.nanoTime() + interval) | 1; // never 0, which means "no batch yet"
            }
            dispatcher.batchStarted();
            boolean timed = dispatcher.latencies().active();
            long oldestLocal = Latencies.NOT_SEEN;
            long oldestRemote = Latencies.NOT_SEEN;
            for (PageItem item : batch) {
                switch (item) {
                    case Envelope envelope -> {
                        if (deliver(envelope) && timed) {
                            if (dispatcher.fromOtherNode(envelope)) {
                                oldestRemote = Math.min(oldestRemote, envelope.sentNanos());
                            } else {
                                oldestLocal = Math.min(oldestLocal, envelope.sentNanos());
                            }
                        }
                    }
                    case Activation activation -> activate(activation);
                }
            }
            if (timed) {
                dispatcher.latencies().batchDelivered(oldestLocal, oldestRemote);
            }
            if (ui.getPushConfiguration().getPushMode() == PushMode.MANUAL) {
                pushManually();
            }
        } finally {
            boolean again;
            synchronized (this) {
                again = !closed && queue != null;
                drainScheduled = again;
            }
            if (again) {
                // a new access per round, so a steady stream cannot hold this session's lock and push forever
                scheduleDrain();
            }
        }
    }

    /** In manual push mode the batch's changes go out only with a push; a broken one must not stop the next batch. */
    private void pushManually() {
        try {
            ui.push();
        } catch (RuntimeException failure) {
            boolean first;
            synchronized (this) {
                first = !pushFailureWarned;
                pushFailureWarned = true;
            }
            if (first) {
                LOG.warn("flow-pubsub: pushing UI {} failed after a delivery; its changes reach the browser "
                        + "with its next request (logged once per page)", ui.getUIId(), failure);
            }
        }
    }

    /** Hands a message to the page's live subscriptions for it; whether any handler took it. */
    private boolean deliver(Envelope envelope) {
        Map<String, Subscription[]> byTopic;
        Subscription[] subscriptions = envelope.topic() == null ? broadcast
                : (byTopic = topics) == null ? null : byTopic.get(envelope.topic());
        if (subscriptions == null || subscriptions.length == 0) {
            return false;
        }
        boolean handled = false;
        for (Subscription subscription : subscriptions) {
            if (subscription.isLive()) {
                handled |= invoke(subscription, envelope);
            }
        }
        if (handled) {
            dispatcher.delivered();
        }
        return handled;
    }

    /** Hands a new subscription its snapshot, then lets it take live messages from here on. */
    private void activate(Activation activation) {
        Subscription subscription = activation.subscription();
        if (activation.restarted() && subscription.isActive()) {
            try {
                subscription.restarted();
            } catch (Throwable failure) {
                dispatcher.handlerFailed(ui, activation.snapshot().getFirst(), failure);
                if (Failures.isFatal(failure)) {
                    throw failure;
                }
            }
        }
        for (Envelope envelope : activation.snapshot()) {
            if (invoke(subscription, envelope)) {
                dispatcher.delivered();
            }
        }
        subscription.goLive();
    }

    private boolean invoke(Subscription subscription, Envelope envelope) {
        if (!subscription.isActive()) {
            return false;
        }
        subscription.passed(envelope);
        if (!subscription.accepts(envelope.message())) {
            return false;
        }
        try {
            subscription.invoke(envelope.topic(), envelope.message());
        } catch (Throwable failure) {
            dispatcher.handlerFailed(ui, envelope, failure);
            if (Failures.isFatal(failure)) {
                throw failure;
            }
        }
        return true;
    }

    // ---- copy-on-write helpers --------------------------------------------------------------------

    private static Subscription[] append(Subscription[] array, Subscription s) {
        Subscription[] copy = Arrays.copyOf(array, array.length + 1);
        copy[array.length] = s;
        return copy;
    }

    private static Subscription[] without(Subscription[] array, Subscription s) {
        List<Subscription> kept = new ArrayList<>(array.length);
        for (Subscription each : array) {
            if (each != s) {
                kept.add(each);
            }
        }
        return kept.isEmpty() ? NONE : kept.toArray(NONE);
    }
}
