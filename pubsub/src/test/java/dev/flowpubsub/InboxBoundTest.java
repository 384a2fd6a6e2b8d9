package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.testing.InMemoryTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The hub's inbox is bounded, and what a full inbox does depends on who sends: a page is refused, server code waits
 * up to its timeout, a transport's reader pauses, and the hub's own control work always gets in.
 */
class InboxBoundTest {

    private final VaadinApp app = new VaadinApp();
    private final PausableExecutor executor = new PausableExecutor();

    @AfterEach
    void close() {
        executor.close();
        app.close();
    }

    @Test
    void fullInbox_refusesAPagesSend_andShowsInStats() {
        PubSubHub hub = PubSubHub.builder().executor(executor).inboxCapacity(3).install(app.service);
        UI page = app.browser().pushTab();
        Inbox inbox = new Inbox(page);
        page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));
        for (int i = 0; i < 3; i++) {
            hub.sendAll(i);
        }
        assertThat(hub.stats().inbox()).isEqualTo(3);

        page.accessSynchronously(() -> assertThatThrownBy(() -> PubSub.current().sendAll("no room"))
                .isInstanceOf(PubSubSendRefusedException.class).hasMessageContaining("inbox is full")
                .satisfies(e -> assertThat(((PubSubSendRefusedException) e).reason())
                        .isEqualTo(PubSubSendRefusedException.Reason.INBOX_FULL)));
        executor.resume();
        app.deliver();

        assertThat(inbox.messages).containsExactly(0, 1, 2);
        assertThat(hub.stats().refused()).isEqualTo(1);
        assertThat(hub.stats().inbox()).isZero();
    }

    @Test
    void fullInbox_makesAServerSendWaitForItsTimeout_thenFailClearly() {
        PubSubHub hub = PubSubHub.builder().executor(executor).inboxCapacity(2)
                .sendTimeout(Duration.ofMillis(200)).install(app.service);
        hub.sendAll(1);
        hub.sendAll(2);

        long start = System.nanoTime();
        assertThatThrownBy(() -> hub.sendAll(3)).isInstanceOf(PubSubSendRefusedException.class)
                .hasMessageContaining("stayed full").hasMessageContaining("200 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(190));
        assertThat(hub.stats().refused()).isEqualTo(1);
    }

    @Test
    void serverSend_thatFindsTheInboxFull_goesThroughOnceThereIsRoom_inOrder() throws Exception {
        PubSubHub hub = PubSubHub.builder().executor(executor).inboxCapacity(2)
                .sendTimeout(Duration.ofSeconds(10)).install(app.service);
        UI page = app.browser().pushTab();
        Inbox inbox = new Inbox(page);
        page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));
        hub.sendAll(1);
        hub.sendAll(2);

        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> hub.sendAll(3));
        Thread.sleep(100);
        assertThat(third).isNotDone();
        executor.resume();
        third.get(10, TimeUnit.SECONDS);
        app.deliver();

        assertThat(inbox.messages).containsExactly(1, 2, 3);
        assertThat(hub.stats().refused()).isZero();
    }

    @Test
    void fullInbox_stillTakesJoinsLeavesAndSubscriptions() {
        PubSubHub hub = PubSubHub.builder().executor(executor).inboxCapacity(1).install(app.service);
        UI page = app.browser().pushTab();
        hub.sendAll("fills the inbox");
        List<PresenceEvent> events = new ArrayList<>();

        page.accessSynchronously(() -> {
            PubSub.current().subscribePresence("room", events::add);
            PubSub.current().join("room", "Ann").remove();
        });
        executor.resume();
        app.deliver();

        assertThat(events).extracting(PresenceEvent::kind)
                .containsExactly(PresenceEvent.Kind.JOIN, PresenceEvent.Kind.LEAVE);
        assertThat(hub.presence("room")).isEmpty();
    }

    @Test
    void fullInbox_pausesTheTransportsReader_andNothingFromTheOtherNodeIsLost() {
        InMemoryTransport.Bus bus = new InMemoryTransport.Bus();
        try (PubSubHub sender = PubSubHub.builder().transport(bus.newTransport()).build()) {
            PubSubHub receiver = PubSubHub.builder().executor(executor).inboxCapacity(2)
                    .transport(bus.newTransport()).install(app.service);
            UI page = app.browser().pushTab();
            Inbox inbox = new Inbox(page);
            page.accessSynchronously(() -> PubSub.current().subscribeTopic("feed", inbox::add));
            List<Object> sent = new ArrayList<>();
            for (int i = 0; i < 50; i++) {
                sender.sendAllOnTopic("feed", i);
                sent.add(i);
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> receiver.stats().inbox() == 2);
            executor.resume();
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.messages.size() == 50);

            assertThat(inbox.messages).containsExactlyElementsOf(sent);
            assertThat(receiver.stats().remoteMissed()).isZero();
        }
    }

    @Test
    void badInboxSettings_failAtTheBuilder() {
        assertThatThrownBy(() -> PubSubHub.builder().inboxCapacity(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("inboxCapacity");
        assertThatThrownBy(() -> PubSubHub.builder().sendTimeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sendTimeout");
    }
}
