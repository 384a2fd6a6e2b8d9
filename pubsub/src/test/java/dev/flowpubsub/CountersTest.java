package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The counters on their own: a snapshot adds what others count, and what crossing nodes counted (zeros for a hub without other nodes). */
class CountersTest {

    @Test
    void aSnapshot_holdsEveryCount_andWhatOthersCount() {
        Counters counters = new Counters();
        counters.sent.add(7);
        counters.delivered.add(70);
        counters.dropped.increment();
        counters.refused.add(2);
        counters.failed.add(3);
        counters.batches.add(9);
        counters.subscriptions.add(11);
        counters.pending.add(5);

        assertThat(counters.snapshot(4, 6, 8, 12, Outbound.RemoteCounts.NONE))
                .isEqualTo(new PubSubStats(4, 11, 6, 5, 8, 12, 7, 70, 1, 2, 3, 9, 0, 0, 0, 0));
        assertThat(counters.snapshot(4, 6, 8, 12, new Outbound.RemoteCounts(13, 14, 15, 16)))
                .isEqualTo(new PubSubStats(4, 11, 6, 5, 8, 12, 7, 70, 1, 2, 3, 9, 13, 14, 15, 16));
    }
}
