package dev.flowpubsub;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The hub's fan-out task: one at a time, on the hub's threads, it takes the inbox in order. A page message goes to the
 * queue of every page subscribed to it (but the one it skips) and into its topic's history; a control item (a
 * subscription taking its snapshot, a presence change) runs between two messages; a presence protocol message from
 * another node goes to {@link Presences}. So every page sees this node's messages in one order, and snapshots are
 * taken at one point of it. Consecutive messages for the same pages go together, each page visited once per run.
 *
 * <p>Threading: {@link #schedule} from any thread; the task itself runs on one thread at a time. It owns the
 * histories and presence state.
 */
final class FanOut {

    /** Consecutive messages for the same pages are handed over together, up to this many. */
    private static final int MAX_RUN = 64;

    private final HubInbox inbox;
    private final SubscriptionIndex index;
    private final TopicHistories histories;
    private final Tasks tasks;
    private final Presence presence;
    private final AtomicBoolean scheduled = new AtomicBoolean();

    /** Where the other nodes' presence protocol goes. */
    interface Presence {
        void onRemote(Envelope protocolMessage);
    }

    FanOut(HubInbox inbox, SubscriptionIndex index, TopicHistories histories, Tasks tasks, Presence presence) {
        this.inbox = inbox;
        this.index = index;
        this.histories = histories;
        this.tasks = tasks;
        this.presence = presence;
    }

    /** Makes sure a fan-out task runs after the item just added to the inbox. */
    void schedule() {
        if (!scheduled.get() && scheduled.compareAndSet(false, true)) {
            tasks.submit(this::run);
        }
    }

    private void run() {
        try {
            drainInbox();
        } finally {
            scheduled.set(false);
            // a publisher may have added an item after the last poll and seen the flag still set; and after a fatal
            // error the items left must still go out
            if (!inbox.isEmpty() && !inbox.isClosed() && scheduled.compareAndSet(false, true)) {
                tasks.submit(this::run);
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
                    case Envelope envelope when !envelope.isPageMessage() -> presence.onRemote(envelope);
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
                        hand(run);
                    }
                }
            } catch (Throwable unexpected) {
                Page.LOG.error("flow-pubsub: fan-out of {} failed", item, unexpected);
                if (Failures.isFatal(unexpected)) {
                    throw unexpected;
                }
            } finally {
                run.clear();
            }
        }
    }

    @SuppressWarnings("ReferenceEquality") // pages are compared by identity: a UI is one browser tab
    private void hand(List<Envelope> run) {
        Envelope first = run.getFirst();
        if (run.size() == 1) {
            handNow(first);
            return;
        }
        Collection<Page> targets = index.targetsOf(first);
        if (targets != null) {
            Object skip = first.skip();
            for (Page page : targets) {
                if (page.key != skip) {
                    page.enqueue(run);
                }
            }
        }
    }

    /** Hands a message to the queue of every page subscribed to it. Fan-out task. */
    @SuppressWarnings("ReferenceEquality") // pages are compared by identity: a UI is one browser tab
    void handNow(Envelope envelope) {
        Collection<Page> targets = index.targetsOf(envelope);
        if (targets != null) {
            Object skip = envelope.skip();
            for (Page page : targets) {
                if (page.key != skip) {
                    page.enqueue(envelope);
                }
            }
        }
    }
}
