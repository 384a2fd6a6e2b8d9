package dev.flowpubsub;

import java.util.concurrent.atomic.LongAdder;

/**
 * The hub's counters and the gauges it keeps by counting ({@code subscriptions}, {@code pending}), for
 * {@link PubSubStats}. Adders, so counting on the delivery path costs no contention. {@code pending} is counted under
 * each page's monitor, where its queue changes; as an adder's sum is no atomic snapshot, it is shown as at least 0.
 *
 * <p>Threading: any thread.
 */
final class Counters {

    final LongAdder sent = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder failed = new LongAdder();
    final LongAdder batches = new LongAdder();
    final LongAdder subscriptions = new LongAdder();
    final LongAdder pending = new LongAdder();

    /**
     * A snapshot, with what others count: pages, topics, the inbox, pages waiting for a push, and what crossing nodes
     * counted.
     */
    PubSubStats snapshot(int pages, int topics, int inbox, int waitingForPush, Outbound.RemoteCounts remote) {
        return new PubSubStats(pages, subscriptions.sum(), topics, Math.max(0, pending.sum()), inbox, waitingForPush,
                sent.sum(), delivered.sum(), dropped.sum(), refused.sum(), failed.sum(), batches.sum(),
                remote.received(), remote.rejected(), remote.duplicates(), remote.missed());
    }
}
