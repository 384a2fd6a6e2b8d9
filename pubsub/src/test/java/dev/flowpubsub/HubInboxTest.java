package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The inbox on its own: page messages take one of its places, the hub's own items never wait for one. */
class HubInboxTest {

    private final HubInbox inbox = new HubInbox(2);

    @Test
    void pageMessages_takeThePlaces_andAreRefusedWhenNoneIsFree() {
        assertThat(inbox.tryReserve()).isTrue();
        inbox.add(Envelope.local("t", 1, null, 0));
        assertThat(inbox.tryReserve()).isTrue();
        inbox.add(Envelope.local("t", 2, null, 0));

        assertThat(inbox.tryReserve()).isFalse();
        assertThat(inbox.size()).isEqualTo(2);
    }

    @Test
    void controlItems_getInWhenTheInboxIsFull_andStayInOrder() {
        inbox.tryReserve();
        inbox.add(Envelope.local("t", 1, null, 0));
        inbox.tryReserve();
        inbox.add(Envelope.local("t", 2, null, 0));
        Control leave = new Control(() -> { });

        inbox.add(leave);

        assertThat(inbox.size()).isEqualTo(2);
        assertThat(((Envelope) inbox.poll()).message()).isEqualTo(1);
        assertThat(((Envelope) inbox.poll()).message()).isEqualTo(2);
        assertThat(inbox.poll()).isSameAs(leave);
        assertThat(inbox.isEmpty()).isTrue();
    }

    @Test
    void takingAMessageOut_freesItsPlace_forASenderThatWaits() throws Exception {
        fill();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> reserve(5));
        Thread.sleep(50);
        assertThat(waiting).isNotDone();

        inbox.poll();

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isTrue();
        assertThat(inbox.size()).isEqualTo(2);
    }

    @Test
    void aSenderWaitsOnlyForItsTimeout() {
        fill();

        assertThat(reserve(0)).isFalse();
        assertThat(inbox.size()).isEqualTo(2);
    }

    @Test
    void releasingAnUnusedPlace_makesItFreeAgain() {
        fill();

        inbox.release();

        assertThat(inbox.tryReserve()).isTrue();
    }

    @Test
    void closing_wakesWaitingSenders_whoGiveUp() throws Exception {
        fill();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> reserve(30));
        Thread.sleep(50);

        inbox.close();

        assertThat(waiting.get(5, TimeUnit.SECONDS)).isFalse();
        assertThat(inbox.isEmpty()).isTrue();
    }

    @Test
    void aCapacityBelowOne_isRefusedWithItsName() {
        assertThatThrownBy(() -> new HubInbox(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inboxCapacity");
    }

    private void fill() {
        for (int i = 0; i < inbox.capacity(); i++) {
            assertThat(inbox.tryReserve()).isTrue();
            inbox.add(Envelope.local("t", i, null, 0));
        }
    }

    private boolean reserve(int seconds) {
        try {
            return inbox.reserve(TimeUnit.SECONDS.toNanos(seconds));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
