package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A topic keeps its last messages; a page subscribing with history gets them first, then live ones, seamlessly. */
class HistoryTest {

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    private Inbox subscribeWithHistory(String topic) {
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        ui.accessSynchronously(() -> PubSub.current().subscribeTopicWithHistory(topic, Object.class, inbox::add));
        return inbox;
    }

    @Test
    void lateSubscriber_getsTheLastMessagesInOrder_thenLiveOnes() {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(5, "room:")).install(app.service);
        IntStream.rangeClosed(1, 8).forEach(n -> hub.sendAllOnTopic("room:lobby", n));
        app.deliver();

        Inbox late = subscribeWithHistory("room:lobby");
        app.deliver();
        hub.sendAllOnTopic("room:lobby", 9);
        app.deliver();

        assertThat(late.messages).containsExactly(4, 5, 6, 7, 8, 9);
        assertThat(late.problems).isEmpty();
    }

    @Test
    void topicsWithoutHistory_replayNothing_andSubscribingWithHistoryStillGetsLiveMessages() {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(5, "room:")).install(app.service);
        hub.sendAllOnTopic("news", "before");
        app.deliver();

        Inbox inbox = subscribeWithHistory("news");
        hub.sendAllOnTopic("news", "after");
        app.deliver();

        assertThat(inbox.messages).containsExactly("after");
    }

    @Test
    void historyIsKeptPerTopic() {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(10, "")).install(app.service);
        hub.sendAllOnTopic("a", "a1");
        hub.sendAllOnTopic("b", "b1");
        hub.sendAllOnTopic("a", "a2");
        hub.sendAll("broadcasts keep no history");
        app.deliver();

        Inbox onA = subscribeWithHistory("a");
        Inbox onB = subscribeWithHistory("b");
        app.deliver();
        assertThat(onA.messages).containsExactly("a1", "a2");
        assertThat(onB.messages).containsExactly("b1");
    }

    @Test
    void subscribingWhileMessagesFlow_getsEveryMessageExactlyOnce_inOrder() throws InterruptedException {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(10_000, "room:")).queueCapacity(10_000)
                .install(app.service);
        AtomicBoolean halfway = new AtomicBoolean();
        Thread sender = Thread.ofPlatform().start(() -> {
            for (int n = 1; n <= 5000; n++) {
                hub.sendAllOnTopic("room:busy", n);
                if (n == 2500) {
                    halfway.set(true);
                }
            }
        });
        while (!halfway.get()) {
            Thread.onSpinWait();
        }
        Inbox joinedMidway = subscribeWithHistory("room:busy");
        sender.join();
        app.deliver();

        assertThat(joinedMidway.messages).containsExactlyElementsOf(IntStream.rangeClosed(1, 5000).boxed().toList());
    }

    @Test
    void historyPolicy_refusesNonsense() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistoryPolicy.keep(0, "x"))
                .hasMessageContaining("size must be at least 1");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistoryPolicy.keep(20_000, "x"))
                .hasMessageContaining("at most 10000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HistoryPolicy.keep(5))
                .hasMessageContaining("at least one topic prefix");
        assertThat(HistoryPolicy.keep(3, "room:", "news").size("news:today")).isEqualTo(3);
        assertThat(HistoryPolicy.none().size("anything")).isZero();
    }
}
