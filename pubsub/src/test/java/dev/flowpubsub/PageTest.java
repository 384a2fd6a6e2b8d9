package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A page as the hub sees it, without Vaadin: its access to Vaadin, the lanes, presence and reports are fakes
 * ({@link PageParts}), so what the page does with its queue, handlers, presence and Vaadin's failures shows directly.
 */
class PageTest {

    private final PageParts parts = new PageParts();
    private final Page page = parts.page("page-1", 3);
    private final List<Object> received = new ArrayList<>();

    private Subscription subscribe(String topic, Object failOn) {
        Subscription subscription = new Subscription(page, topic, null, PageParts.recording(received, failOn), true, null);
        assertThat(page.add(subscription)).isTrue();
        return subscription;
    }

    @Test
    void messagesQueuedForThePage_areHandledInOrder_inOneBatch_whenItsLaneRunsIt() {
        subscribe("t", "never");
        page.enqueue(PageParts.message("t", 1, 1));
        page.enqueue(List.of(PageParts.message("t", 2, 2), PageParts.message("t", 3, 3)));
        assertThat(received).as("nothing runs on the fan-out's thread").isEmpty();
        assertThat(parts.runs.now).as("one drain asked for").hasSize(1);

        parts.runs.drain();

        assertThat(received).containsExactly(1, 2, 3);
        assertThat(parts.counters.batches.sum()).isEqualTo(1);
        assertThat(parts.counters.pending.sum()).isZero();
    }

    @Test
    void aHandlerThatThrows_isReported_andTheBatchGoesOn() {
        subscribe("t", 2);
        page.enqueue(List.of(PageParts.message("t", 1, 1), PageParts.message("t", 2, 2), PageParts.message("t", 3, 3)));

        parts.runs.drain();

        assertThat(received).containsExactly(1, 3);
        assertThat(parts.reports.reported).containsExactly("failed Integer: handler failed on 2");
    }

    @Test
    void aFullQueue_dropsTheOldest_reportingThePagesFirstDropOnce() {
        subscribe("t", "never");
        for (int n = 1; n <= 5; n++) {
            page.enqueue(PageParts.message("t", n, n));
        }

        parts.runs.drain();

        assertThat(received).containsExactly(3, 4, 5);
        assertThat(parts.reports.reported).containsExactly("dropped first", "dropped");
    }

    @Test
    void whileItsLastPushIsStillBeingWritten_theBatchWaits_andRunsFullerAfterIt() {
        subscribe("t", "never");
        parts.access.pushInFlight = true;
        page.enqueue(PageParts.message("t", 1, 1));
        parts.runs.drain();
        assertThat(parts.runs.afterPush).containsExactly(page);
        page.enqueue(PageParts.message("t", 2, 2));

        parts.access.pushInFlight = false;
        page.drain(); // what PushWaits does once the push was written

        assertThat(received).containsExactly(1, 2);
    }

    @Test
    void whileItsSessionIsLockedElsewhere_theBatchWaitsForTheLockHolder_andRunsAfterIt() {
        subscribe("t", "never");
        parts.access.lockHeldElsewhere = true;
        page.enqueue(PageParts.message("t", 1, 1));
        parts.runs.drain();
        assertThat(received).isEmpty();

        parts.access.release();

        assertThat(received).containsExactly(1);
    }

    @Test
    void aPageThatLeftItsSession_closesAtItsNextDrain_droppingWhatWaited() {
        subscribe("t", "never");
        page.enqueue(PageParts.message("t", 1, 1));
        parts.access.inSession = false;

        parts.runs.drain();

        assertThat(received).isEmpty();
        assertThat(parts.counters.subscriptions.sum()).isZero();
        assertThat(parts.counters.pending.sum()).isZero();
        assertThat(parts.index.pageCount()).isZero();
    }

    @Test
    void vaadinRefusingBeforeTheBatchRan_hasThePageDrainedAgain_notLeftWaiting() {
        subscribe("t", "never");
        parts.access.refuse = new IllegalStateException("simulated: Vaadin refused the access");
        page.enqueue(PageParts.message("t", 1, 1));
        parts.runs.now.removeFirst().drain();
        assertThat(parts.runs.now).as("tried again").containsExactly(page);
        assertThat(parts.runs.delays).hasSize(1);

        parts.access.refuse = null;
        parts.runs.drain();

        assertThat(received).containsExactly(1);
    }

    @Test
    void aManualPushThatFails_stopsNoLaterBatch() {
        subscribe("t", "never");
        parts.access.manualPush = true;
        parts.access.pushFailure = new IllegalStateException("simulated: broken push");
        page.enqueue(PageParts.message("t", 1, 1));
        parts.runs.drain();
        page.enqueue(PageParts.message("t", 2, 2));
        parts.runs.drain();

        assertThat(received).containsExactly(1, 2);
        assertThat(parts.access.pushes).isEqualTo(2);
    }

    @Test
    void theLastSubscriptionEnding_closesThePage_andRemovesItsDetachListener() {
        Subscription only = subscribe("t", "never");
        page.watchDetach();

        only.remove();

        assertThat(page.add(new Subscription(page, "t", null, (t, m) -> { }, true, null)))
                .as("a closed page takes nothing more").isFalse();
        assertThat(parts.access.detachRemovals).isEqualTo(1);
        assertThat(parts.counters.subscriptions.sum()).isZero();
    }

    @Test
    void presence_pushLostPastTheGrace_leaves_andJoinsAgainWhenBack() {
        PresenceJoin join = new PresenceJoin(page, new Presences.Member("room", "ann-1", "Ann", 1L, "local"));
        assertThat(page.addJoin(join)).isTrue();
        assertThat(parts.access.watchedBy).as("its push connection is watched").isSameAs(page);

        page.pushLost();
        parts.runs.graces.getFirst().fire();
        assertThat(parts.presence.told).containsExactly("away ann-1");
        assertThat(page.isAway()).isTrue();

        page.pushRestored();
        assertThat(parts.presence.told).containsExactly("away ann-1", "rejoin ann-1");
        assertThat(page.announces(join)).isTrue();
    }

    @Test
    void presence_backWithinTheGrace_changesNothing_andClosingLeaves() {
        PresenceJoin join = new PresenceJoin(page, new Presences.Member("room", "ann-1", "Ann", 1L, "local"));
        page.addJoin(join);

        page.pushLost();
        page.pushRestored();
        parts.runs.graces.getFirst().fire();
        assertThat(parts.presence.told).isEmpty();

        page.close();
        assertThat(parts.presence.told).containsExactly("leave ann-1");
    }
}
