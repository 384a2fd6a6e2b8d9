package dev.flowpubsub;

import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.internal.PushWatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Everything the hub keeps for one page (UI), coordinating its parts: its {@link PageSubscriptions}, its
 * {@link PagePresence}, its delivery ({@link PageDrain}, with its bounded {@link PageQueue}) and its
 * {@link PageAccess} to Vaadin. It exists while the page holds at
 * least one subscription or presence, and is dropped, queue included, when the last ends or the UI detaches.
 *
 * <h2>Concurrency</h2>
 * The parts' state is guarded by this object's monitor, which is only ever held for a few field updates and calls
 * that never block (the subscription index, scheduling the grace timer, listening to the push connection): never
 * while a handler runs or a Vaadin lock is taken. Messages are enqueued by the dispatcher's
 * single fan-out task; they are handled in batches under the page's session lock, so at most one batch of
 * a page runs at a time, in queue order.
 */
final class Page implements DeliveryLanes.Page, PushWatch.PushListener {

    /** The delivery log: drops, failing handlers, Vaadin failing around a batch, pages away. */
    static final Logger LOG = Logs.DELIVERY;

    /** Hands out {@link #order}. */
    private static final AtomicLong CREATED = new AtomicLong();

    /** What one page holds, for the log line of a session read back. */
    record Held(int subscriptions, int presences) {
    }

    /** The page's UI, as an identity: the hub tells pages apart by it, and calls Vaadin only through {@link #access}. */
    final Object key;
    /**
     * When this page was made, relative to the others: the subscription index keeps pages in this order, so a fan-out
     * visits them in the order their objects were allocated (see {@link SubscriptionIndex}).
     */
    final long order = CREATED.incrementAndGet();

    private final PageAccess access;
    private final PageServices services;
    private final PageSubscriptions subscriptions;
    private final PageDrain delivery;
    private final PagePresence presence = new PagePresence();
    private boolean closed;
    private @Nullable Registration detachRegistration;

    Page(Object key, PageAccess access, PageServices services) {
        this.key = key;
        this.access = access;
        this.services = services;
        SubscriptionIndex index = services.index();
        this.subscriptions = new PageSubscriptions(new PageSubscriptions.Index() {
            @Override
            public void indexBroadcast() {
                index.indexBroadcast(Page.this);
            }

            @Override
            public void unindexBroadcast() {
                index.unindexBroadcast(Page.this);
            }

            @Override
            public void indexTopic(String topic) {
                index.indexTopic(topic, Page.this);
            }

            @Override
            public void unindexTopic(String topic) {
                index.unindexTopic(topic, Page.this);
            }
        });
        this.delivery = new PageDrain(this, access, services, subscriptions);
    }

    int uiId() {
        return access.uiId();
    }

    /** Called once, right after this page was published in the subscription index, under the UI's session lock. */
    void watchDetach() {
        Registration registration = access.onDetach(this);
        boolean closedMeanwhile;
        synchronized (this) {
            closedMeanwhile = closed;
            detachRegistration = registration;
        }
        if (closedMeanwhile) {
            registration.remove();
        }
    }

    /** What the page holds now. */
    synchronized Held held() {
        return new Held(subscriptions.count(), presence.size());
    }

    /* --- Subscriptions --- */

    /** Adds a subscription; false when this page was closed meanwhile and the caller must retry with a fresh one. */
    boolean add(Subscription subscription) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            subscriptions.add(subscription);
        }
        services.counters().subscriptions.increment();
        return true;
    }

    void remove(Subscription subscription) {
        boolean nowEmpty;
        synchronized (this) {
            if (closed || !subscriptions.remove(subscription)) {
                return;
            }
            nowEmpty = isEmpty();
        }
        services.counters().subscriptions.decrement();
        if (nowEmpty) {
            close();
        }
    }

    /** Flet's {@code unsubscribe()}: every broadcast handler of this page. */
    void removeBroadcast() {
        removed(() -> subscriptions.removeBroadcast());
    }

    /** Flet's {@code unsubscribe_topic(topic)}: every handler of this page on that topic. */
    void removeTopic(String topic) {
        removed(() -> subscriptions.removeTopic(topic));
    }

    private void removed(java.util.function.IntSupplier removal) {
        int removed;
        boolean nowEmpty;
        synchronized (this) {
            if (closed) {
                return;
            }
            removed = removal.getAsInt();
            nowEmpty = removed > 0 && isEmpty();
        }
        services.counters().subscriptions.add(-removed);
        if (nowEmpty) {
            close();
        }
    }

    synchronized int subscriptionCount() {
        return subscriptions.count();
    }

    /* --- Presence --- */

    /**
     * Adds a presence entry of this page; false when this page was closed meanwhile. The caller holds the page's
     * session lock: the first entry starts watching the page's push connection.
     */
    boolean addJoin(PresenceJoin join) {
        synchronized (this) {
            if (closed) {
                return false;
            }
            if (presence.add(join)) {
                access.watchPush(this);
            }
            return true;
        }
    }

    void removeJoin(PresenceJoin join) {
        boolean nowEmpty;
        synchronized (this) {
            if (closed || !presence.remove(join)) {
                return;
            }
            nowEmpty = isEmpty();
        }
        services.presence().leave(join.member());
        if (nowEmpty) {
            close();
        }
    }

    /**
     * The page's push connection closed (its browser crashed, was killed, or lost its network; or the tab is being
     * closed). If it has presence entries, they end once the disconnect grace has passed, unless it is back by then.
     * Called by Flow with the page's session lock held.
     */
    @Override
    public void pushLost() {
        synchronized (this) {
            if (closed || !presence.startsGrace()) {
                return;
            }
            try {
                presence.graceStarted(services.runs().afterDisconnectGrace(this::disconnectGraceOver));
            } catch (RejectedExecutionException hubClosed) {
                // the hub is closing: its pages leave anyway
            }
        }
    }

    /** The push connection is back: within the grace nothing changes; after it, the page joins again. */
    @Override
    public void pushRestored() {
        List<PresenceJoin> rejoining;
        synchronized (this) {
            rejoining = presence.pushRestored();
            if (closed) {
                return;
            }
        }
        for (PresenceJoin join : rejoining) {
            services.presence().rejoin(this, join);
        }
    }

    /** Timer thread: the grace is over and the page is not back; it leaves, as if the tab had closed. */
    private void disconnectGraceOver() {
        List<PresenceJoin> leaving;
        synchronized (this) {
            if (closed) {
                return; // gone anyway
            }
            leaving = presence.graceOver();
        }
        if (leaving.isEmpty()) {
            return;
        }
        LOG.info("flow-pubsub: the push connection of UI {} has been lost for longer than the disconnect grace: "
                + "its {} presence entries leave until it is back", access.uiId(), leaving.size());
        for (PresenceJoin join : leaving) {
            services.presence().leaveWhileAway(this, join);
        }
    }

    /** Fan-out task: whether this page is away (its push connection stayed lost), so its presence is to end. */
    synchronized boolean isAway() {
        return presence.isAway() && !closed;
    }

    /** Fan-out task: whether this page holds {@code join} and is not away, so it is to be announced again. */
    synchronized boolean announces(PresenceJoin join) {
        return !closed && presence.announces(join);
    }

    /** Ends every presence of this page, keeping its subscriptions: the hub is closing and tells the other nodes. */
    void leaveAll() {
        List<PresenceJoin> leaving;
        synchronized (this) {
            leaving = presence.takeAll();
        }
        for (PresenceJoin join : leaving) {
            services.presence().leave(join.member());
        }
    }

    private boolean isEmpty() {
        return subscriptions.count() == 0 && presence.isEmpty();
    }

    /* --- Closing --- */

    /**
     * Ends every subscription of this page and forgets its queue. Called when the UI detaches, on
     * {@code unsubscribeAll()}, when the last subscription ends, and when the hub closes. Idempotent.
     */
    void close() {
        Registration registration;
        List<PresenceJoin> leaving;
        int removed;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            removed = subscriptions.removeAll();
            services.counters().pending.add(-delivery.clear());
            registration = detachRegistration;
            detachRegistration = null;
            leaving = presence.takeAll();
        }
        services.counters().subscriptions.add(-removed);
        for (PresenceJoin join : leaving) {
            services.presence().leave(join.member());
        }
        services.index().forget(this);
        if (registration != null) {
            access.removeUnderLock(registration);
        }
    }

    /* --- Delivery (PageDrain) --- */

    /** Called by the dispatcher's fan-out task only, so messages of one sender enter in the order they were sent. */
    void enqueue(Envelope envelope) {
        delivery.enqueue(envelope);
    }

    /** Several consecutive messages with the same targets, under one lock (a busy stream's run). Fan-out task. */
    void enqueue(List<Envelope> run) {
        delivery.enqueue(run);
    }

    /** Where a subscription taken with a snapshot starts; never dropped. Fan-out task. */
    void enqueue(Activation activation) {
        delivery.enqueue(activation);
    }

    /** A delivery lane's work for this page (see {@link PageDrain#drain}). */
    @Override
    public void drain() {
        delivery.drain();
    }

    /** Whether the page is closed; its monitor held. */
    boolean isClosedHeld() {
        return closed;
    }
}
