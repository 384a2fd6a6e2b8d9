package dev.flowpubsub.internal;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.Inbox;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.VaadinApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * At most one push in flight per page: while a page's last push is still being written, its next batch waits and
 * collects what arrives, so under load pages get fewer, fuller pushes. The page's push connection is the one the hub
 * gives every page; Atmosphere's future of the push in flight is stood in for by one the test completes.
 */
class PushInFlightTest {

    private final VaadinApp app = new VaadinApp();
    private final PubSubHub hub = PubSubHub.builder().install(app.service);

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void whileAPushIsBeingWritten_thePagesMessagesWait_thenComeInOneBatch() {
        UI page = app.browser().pushTab();
        Inbox inbox = new Inbox(page);
        PushWatch.WatchedPushConnection push = watchedPush(page);
        page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));
        UI other = app.browser().pushTab();
        Inbox otherInbox = new Inbox(other);
        other.accessSynchronously(() -> PubSub.current().subscribe(otherInbox::add));
        CompletableFuture<Object> writing = new CompletableFuture<>();
        push.pushStarted(writing);

        hub.sendAll(1);
        hub.sendAll(2);
        hub.sendAll(3);

        await().atMost(Duration.ofSeconds(5)).until(() -> otherInbox.messages.size() == 3);
        await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(2)).until(inbox.messages::isEmpty);
        assertThat(hub.stats().pending()).as("the waiting page's messages").isEqualTo(3);
        assertThat(hub.stats().waitingForPush()).as("pages waiting for their push").isEqualTo(1);
        long batchesBefore = hub.stats().batches();

        writing.complete(null);
        app.deliver();

        assertThat(inbox.messages).containsExactly(1, 2, 3);
        assertThat(inbox.problems).isEmpty();
        assertThat(hub.stats().batches() - batchesBefore).as("the waiting page's batches").isEqualTo(1);
        assertThat(hub.stats().waitingForPush()).isZero();
    }

    @Test
    void aPushThatFailed_orWentToALostConnection_orIsNeverWritten_holdsNothingBack() {
        UI page = app.browser().pushTab();
        PushWatch.WatchedPushConnection push = watchedPush(page);
        long now = System.nanoTime();

        push.pushStarted(CompletableFuture.failedFuture(new IllegalStateException("simulated: the write failed")));
        assertThat(push.pushInFlight(now)).isFalse();

        push.pushStarted(new CompletableFuture<>());
        assertThat(push.pushInFlight(System.nanoTime())).isTrue();
        assertThat(push.pushInFlight(System.nanoTime() + PushWatch.ABANDON_NANOS + 1)).as("given up on").isFalse();

        push.pushStarted(new CompletableFuture<>());
        page.accessSynchronously(push::connectionLost);
        assertThat(push.pushInFlight(System.nanoTime())).as("its connection is gone").isFalse();
    }

    /** Gives the page the push connection the hub gives every page in a real application (no browser here). */
    private static PushWatch.WatchedPushConnection watchedPush(UI page) {
        PushWatch.WatchedPushConnection push = new PushWatch.WatchedPushConnection(page);
        page.accessSynchronously(() -> page.getInternals().setPushConnection(push));
        return push;
    }
}
