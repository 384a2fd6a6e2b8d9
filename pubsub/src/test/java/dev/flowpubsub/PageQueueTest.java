package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** One page's bounded queue: what it keeps when full, when it asks for a drain, and what a batch takes. */
class PageQueueTest {

    private static Envelope message(int n) {
        return PageParts.message("t", n, n);
    }

    private static Activation start() {
        return new Activation(null, List.of(), false);
    }

    private static List<Object> messagesOf(ArrayDeque<PageItem> batch) {
        return batch.stream().map(item -> item instanceof Envelope envelope ? envelope.message() : "start").toList();
    }

    @Test
    void theFirstOffer_asksForADrain_theNextOnesDoNot_untilABatchFindsItEmpty() {
        PageQueue queue = new PageQueue(10, OverflowPolicy.DROP_OLDEST);

        assertThat(queue.offer(message(1)).drainNow()).isTrue();
        assertThat(queue.offer(message(2)).drainNow()).isFalse();
        assertThat(messagesOf(queue.takeBatch())).containsExactly(1, 2);
        assertThat(queue.batchEnded()).as("nothing came meanwhile").isFalse();
        assertThat(queue.offer(message(3)).drainNow()).isTrue();
    }

    @Test
    void whatArrivesDuringABatch_makesTheBatchAskForAnotherRound() {
        PageQueue queue = new PageQueue(10, OverflowPolicy.DROP_OLDEST);
        queue.offer(message(1));
        queue.takeBatch();

        assertThat(queue.offer(message(2)).drainNow()).as("the drain is still claimed").isFalse();
        assertThat(queue.batchEnded()).isTrue();
        assertThat(messagesOf(queue.takeBatch())).containsExactly(2);
    }

    @Test
    void full_dropOldest_makesRoomForTheNewest_neverDroppingWhereASubscriptionStarts() {
        PageQueue queue = new PageQueue(2, OverflowPolicy.DROP_OLDEST);
        queue.offer(start());
        queue.offer(message(1));
        queue.offer(message(2));

        PageQueue.Offered offered = queue.offer(message(3));

        assertThat(offered.dropped()).isEqualTo(1);
        assertThat(offered.added()).as("in the count of pending messages, one went and one came").isZero();
        assertThat(messagesOf(queue.takeBatch())).containsExactly("start", 2, 3);
    }

    @Test
    void full_dropNewest_keepsWhatItHas() {
        PageQueue queue = new PageQueue(2, OverflowPolicy.DROP_NEWEST);
        queue.offerAll(List.of(message(1), message(2), message(3), message(4)));

        assertThat(messagesOf(queue.takeBatch())).containsExactly(1, 2);
    }

    @Test
    void onlyThePagesFirstDrop_isMarkedFirst() {
        PageQueue queue = new PageQueue(1, OverflowPolicy.DROP_OLDEST);
        queue.offer(message(1));

        assertThat(queue.offer(message(2)).firstDrop()).isTrue();
        assertThat(queue.offer(message(3)).firstDrop()).isFalse();
        assertThat(queue.offerAll(List.of(message(4), message(5))).firstDrop()).isFalse();
    }

    @Test
    void aDrainThatDidNotRun_isToldApartFromOneThatRan() {
        PageQueue queue = new PageQueue(10, OverflowPolicy.DROP_OLDEST);
        queue.offer(message(1));
        int taken = queue.batchesTaken();

        assertThat(queue.drainPendingSince(taken)).as("no batch was taken since").isTrue();
        queue.takeBatch();
        assertThat(queue.drainPendingSince(taken)).isFalse();
    }

    @Test
    void clear_forgetsEverything_andSaysHowMuch() {
        PageQueue queue = new PageQueue(10, OverflowPolicy.DROP_OLDEST);
        queue.offerAll(List.of(message(1), message(2)));
        queue.offer(start());

        assertThat(queue.clear()).isEqualTo(3);
        assertThat(queue.size()).isZero();
    }
}
