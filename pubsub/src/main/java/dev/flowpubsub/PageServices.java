package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.ScheduledFuture;

/**
 * What a {@link Page} needs of its hub, and nothing more: its settings, the index and counters it updates, and three
 * narrow links (when its batches run, what its presence tells, where its failures go). Built once per hub by the
 * {@link Dispatcher}; a page's unit tests build one of fakes.
 *
 * @param queueCapacity         the most messages a page's queue holds
 * @param overflowPolicy        what goes when it is full
 * @param minBatchIntervalNanos the shortest time between two batches of one page; 0 for none
 * @param index                 who is subscribed to what
 * @param counters              the hub's counts
 * @param latencies             where a batch's latencies are measured
 * @param runs                  when a page's batch runs
 * @param presence              what a page's presence changes tell
 * @param reports               where drops and failing handlers are reported
 */
record PageServices(int queueCapacity, OverflowPolicy overflowPolicy, long minBatchIntervalNanos,
                    SubscriptionIndex index, Counters counters, Latencies latencies, Runs runs,
                    PresenceLink presence, Reports reports) {

    /** When a page's batch runs: on a delivery lane, now or later. Any thread. */
    interface Runs {
        /** Soon, on a delivery lane. */
        void now(Page page);

        /** Once {@code delayNanos} have passed (the minimum batch interval, or a retry). */
        void after(Page page, long delayNanos);

        /** Once the page's last push has been written. */
        void afterPush(Page page, PageAccess access);

        /** Runs {@code action} on the hub's timer once the disconnect grace has passed. */
        ScheduledFuture<?> afterDisconnectGrace(Runnable action);
    }

    /** What a page's presence changes tell the hub's presence. Any thread; each runs later, in the fan-out. */
    interface PresenceLink {
        /** The entry ends. */
        void leave(Presences.Member member);

        /** The page's push connection is back: the entry joins again, if the page still holds it then. */
        void rejoin(Page page, PresenceJoin join);

        /** The disconnect grace is over: the entry leaves, if the page is still away then. */
        void leaveWhileAway(Page page, PresenceJoin join);
    }

    /** Where a page's drops and failing handlers are counted and reported. Any thread. */
    interface Reports {
        /** A message was dropped for a full queue; {@code first} for the page's first (logged, once per page). */
        void dropped(int uiId, int capacity, boolean first);

        /** A handler threw, handling a message of {@code messageType} on {@code topic} (null: a broadcast). */
        void handlerFailed(int uiId, @Nullable String topic, Class<?> messageType, Throwable failure);

        /** Whether a message came from another node, for the latency meters. */
        boolean fromOtherNode(Envelope envelope);
    }
}
