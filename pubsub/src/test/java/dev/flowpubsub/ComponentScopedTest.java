package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.shared.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Subscriptions that follow a component ({@link PubSub#whileAttached}): taken while it is attached, removed when it
 * detaches, taken again when it attaches again; history resumes where the component got to; presence joins and
 * leaves with it. Attaching and detaching here is what navigating to a view and away from it does (the chat's
 * {@code ChatViewTest} navigates for real).
 */
class ComponentScopedTest {

    private static final Topic<String> NEWS = Topic.of("news", String.class);
    private static final Topic<Integer> ROOM = Topic.of("room:lobby", Integer.class);

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void subscribedInTheConstructor_receivesOnlyWhileAttached_andHoldsOneSubscriptionHoweverOftenItComesBack() {
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        Div view = new Div();
        ui.accessSynchronously(() -> PubSub.whileAttached(view).subscribeTopic(NEWS, inbox::add));
        app.hub().sendAllOnTopic(NEWS, "before the first attach");
        app.deliver();
        assertThat(PubSub.of(ui).subscriptionCount()).isZero();

        for (int visit = 1; visit <= 3; visit++) {
            ui.accessSynchronously(() -> ui.add(view));
            assertThat(PubSub.of(ui).subscriptionCount()).as("visit " + visit).isEqualTo(1);
            app.hub().sendAllOnTopic(NEWS, "visit " + visit);
            app.deliver();
            ui.accessSynchronously(() -> ui.remove(view));
            assertThat(PubSub.of(ui).subscriptionCount()).as("after visit " + visit).isZero();
            app.hub().sendAllOnTopic(NEWS, "away after visit " + visit);
            app.deliver();
        }

        assertThat(inbox.messages).containsExactly("visit 1", "visit 2", "visit 3");
        assertThat(inbox.problems).isEmpty();
        assertThat(app.hub().stats().subscribedUis()).as("nothing of the page stays in the hub").isZero();
    }

    @Test
    void subscribedWhileAttached_startsAtOnce() {
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        Div view = new Div();
        ui.accessSynchronously(() -> {
            ui.add(view);
            PubSub.whileAttached(view).subscribe(String.class, inbox::add);
        });
        app.hub().sendAll("now");
        app.hub().sendAll(42); // another type: skipped
        app.deliver();

        assertThat(inbox.messages).containsExactly("now");
    }

    @Test
    void remove_endsItForGood_andAttachingAgainDoesNotSubscribe() {
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        Div view = new Div();
        AtomicReference<Registration> subscription = new AtomicReference<>();
        ui.accessSynchronously(() -> {
            ui.add(view);
            subscription.set(PubSub.whileAttached(view).subscribeTopic(NEWS, inbox::add));
        });
        ui.accessSynchronously(() -> {
            subscription.get().remove();
            subscription.get().remove();
        });
        assertThat(PubSub.of(ui).subscriptionCount()).isZero();

        ui.accessSynchronously(() -> {
            ui.remove(view);
            ui.add(view);
        });
        app.hub().sendAllOnTopic(NEWS, "after remove");
        app.deliver();

        assertThat(PubSub.of(ui).subscriptionCount()).isZero();
        assertThat(inbox.messages).isEmpty();
    }

    @Test
    void aClosedPage_endsTheComponentsSubscription() {
        VaadinApp.Browser browser = app.browser();
        UI ui = browser.pushTab();
        Div view = new Div();
        ui.accessSynchronously(() -> {
            ui.add(view);
            PubSub.whileAttached(view).subscribeTopic(NEWS, message -> { });
        });
        assertThat(app.hub().stats().subscribedUis()).isEqualTo(1);

        browser.closeTab(ui);

        assertThat(app.hub().stats().subscribedUis()).isZero();
    }

    @Test
    void historyOnAttachAgain_resumesAfterTheLastMessageItSaw_withNoGapAndNoRepeat() {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(5, "room:")).install(app.service);
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        AtomicInteger restarts = new AtomicInteger();
        Div view = new Div();
        hub.sendAllOnTopic(ROOM, 1);
        hub.sendAllOnTopic(ROOM, 2);
        ui.accessSynchronously(() -> {
            PubSub.whileAttached(view).subscribeTopicWithHistory(ROOM, inbox::add, restarts::incrementAndGet);
            ui.add(view);
        });
        app.deliver();
        hub.sendAllOnTopic(ROOM, 3);
        app.deliver();

        ui.accessSynchronously(() -> ui.remove(view));
        hub.sendAllOnTopic(ROOM, 4);
        hub.sendAllOnTopic(ROOM, 5);
        app.deliver();
        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();
        hub.sendAllOnTopic(ROOM, 6);
        app.deliver();

        assertThat(inbox.messages).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(restarts).hasValue(0);
        assertThat(inbox.problems).isEmpty();
    }

    @Test
    void historyOnAttachAgain_whenWhatItLastSawHasLeftTheHistory_startsItOverAndSaysSo() {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(3, "room:")).install(app.service);
        UI ui = app.browser().pushTab();
        List<String> shown = new ArrayList<>();
        Div view = new Div();
        ui.accessSynchronously(() -> {
            ui.add(view);
            // snippet:restart
            PubSub.whileAttached(view).subscribeTopicWithHistory(ROOM, n -> shown.add("message " + n),
                    () -> shown.add("from the start"));
            // end:restart
        });
        hub.sendAllOnTopic(ROOM, 1);
        app.deliver();

        ui.accessSynchronously(() -> ui.remove(view));
        IntStream.rangeClosed(2, 6).forEach(n -> hub.sendAllOnTopic(ROOM, n)); // the history keeps 4, 5, 6
        app.deliver();
        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();

        assertThat(shown).containsExactly("message 1", "from the start", "message 4", "message 5", "message 6");
    }

    @Test
    void historyOnAttachAgain_countsMessagesOfOtherTypesAsSeen() {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(2, "room:")).install(app.service);
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        AtomicInteger restarts = new AtomicInteger();
        Div view = new Div();
        ui.accessSynchronously(() -> {
            ui.add(view);
            PubSub.whileAttached(view).subscribeTopicWithHistory(ROOM, inbox::add, restarts::incrementAndGet);
        });
        hub.sendAllOnTopic(ROOM, 1);
        hub.sendAllOnTopic("room:lobby", "a string, which the component skips but has seen");
        app.deliver();

        ui.accessSynchronously(() -> ui.remove(view));
        hub.sendAllOnTopic(ROOM, 2);
        hub.sendAllOnTopic(ROOM, 3); // the history keeps 2 and 3; the string left it last
        app.deliver();
        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();

        assertThat(inbox.messages).containsExactly(1, 2, 3);
        assertThat(restarts).as("nothing it had not seen left the history").hasValue(0);
    }

    @Test
    void historyOnAttachAgain_afterExactlyAsManyMessagesAsTheHistoryKeeps_handsThemAll_withoutStartingOver() {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(3, "room:")).install(app.service);
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        AtomicInteger restarts = new AtomicInteger();
        Div view = new Div();
        ui.accessSynchronously(() -> {
            ui.add(view);
            PubSub.whileAttached(view).subscribeTopicWithHistory(ROOM, inbox::add, restarts::incrementAndGet);
        });
        hub.sendAllOnTopic(ROOM, 1);
        app.deliver();

        ui.accessSynchronously(() -> ui.remove(view));
        IntStream.rangeClosed(2, 4).forEach(n -> hub.sendAllOnTopic(ROOM, n)); // 1 leaves the history
        app.deliver();
        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();

        assertThat(inbox.messages).containsExactly(1, 2, 3, 4);
        assertThat(restarts).hasValue(0);
    }

    @Test
    void historyOnAttachAgain_neverHandsThePageWhatItSentToTheOthers() {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(5, "room:")).install(app.service);
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        Div view = new Div();
        ui.accessSynchronously(() -> {
            ui.add(view);
            PubSub.whileAttached(view).subscribeTopicWithHistory(ROOM, inbox::add);
        });
        ui.accessSynchronously(() -> PubSub.current().sendOthersOnTopic(ROOM, 1)); // shown by the view itself, say
        app.deliver();
        hub.sendAllOnTopic(ROOM, 2);
        ui.accessSynchronously(() -> PubSub.current().sendOthersOnTopic(ROOM, 3));
        app.deliver();

        ui.accessSynchronously(() -> ui.remove(view));
        ui.accessSynchronously(() -> PubSub.current().sendOthersOnTopic(ROOM, 4));
        hub.sendAllOnTopic(ROOM, 5);
        app.deliver();
        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();

        assertThat(inbox.messages).containsExactly(2, 5);
    }

    @Test
    void historyOnAttachAgain_afterAnAttachmentThatSawNothing_handsWhatCameSince() {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(5, "room:")).install(app.service);
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        AtomicInteger restarts = new AtomicInteger();
        Div view = new Div();
        ui.accessSynchronously(() -> {
            ui.add(view);
            PubSub.whileAttached(view).subscribeTopicWithHistory(ROOM, inbox::add, restarts::incrementAndGet);
        });
        app.deliver();
        ui.accessSynchronously(() -> {
            ui.remove(view);
            PubSub.current().sendOthersOnTopic(ROOM, 1);
        });
        hub.sendAllOnTopic(ROOM, 2);
        app.deliver();
        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();

        assertThat(inbox.messages).containsExactly(2);
        assertThat(restarts).hasValue(0);
    }

    @Test
    void boundFromTheComponentsOwnOnAttach_isTakenOnceForThatAttach() {
        UI ui = app.browser().pushTab();
        UI watcher = app.browser().pushTab();
        Inbox events = new Inbox(watcher);
        watcher.accessSynchronously(() -> PubSub.current().subscribePresence("room:lobby",
                event -> events.add(event.kind() + " " + event.presence().descriptor())));
        Div view = new Div() {
            private boolean bound;

            @Override
            protected void onAttach(com.vaadin.flow.component.AttachEvent attach) {
                if (!bound) {
                    bound = true;
                    PubSub.whileAttached(this).join(ROOM, "Ann");
                }
            }
        };
        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();

        assertThat(events.messages).containsExactly("JOIN Ann");
        assertThat(app.hub().presence("room:lobby")).hasSize(1);
    }

    @Test
    void theSameMessageObjectSentTwice_isTwoMessagesForResuming() {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(5, "room:")).install(app.service);
        Topic<String> pings = Topic.of("room:pings", String.class);
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        Div view = new Div();
        ui.accessSynchronously(() -> {
            ui.add(view);
            PubSub.whileAttached(view).subscribeTopicWithHistory(pings, inbox::add);
        });
        hub.sendAllOnTopic(pings, "ping");
        app.deliver();

        ui.accessSynchronously(() -> ui.remove(view));
        hub.sendAllOnTopic(pings, "ping");
        app.deliver();
        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();

        assertThat(inbox.messages).containsExactly("ping", "ping");
    }

    @Test
    void presence_joinsOnAttach_andLeavesOnDetach() {
        UI ui = app.browser().pushTab();
        UI watcher = app.browser().pushTab();
        Inbox events = new Inbox(watcher);
        Div view = new Div();
        watcher.accessSynchronously(() -> PubSub.current().subscribePresence("room:lobby",
                event -> events.add(event.kind() + " " + event.presence().descriptor())));
        // snippet:presence
        ui.accessSynchronously(() -> PubSub.whileAttached(view).join(ROOM, "Ann"));
        // end:presence
        app.deliver();
        assertThat(app.hub().presence("room:lobby")).isEmpty();

        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();
        assertThat(app.hub().presence("room:lobby")).extracting(Presence::descriptor).containsExactly("Ann");

        ui.accessSynchronously(() -> ui.remove(view));
        app.deliver();
        assertThat(app.hub().presence("room:lobby")).isEmpty();

        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();
        assertThat(app.hub().presence("room:lobby")).extracting(Presence::descriptor).containsExactly("Ann");
        assertThat(events.messages).containsExactly("JOIN Ann", "LEAVE Ann", "JOIN Ann");
    }

    @Test
    void subscribePresence_onEachAttach_firstGetsEveryonePresent() {
        UI ann = app.browser().pushTab();
        UI ui = app.browser().pushTab();
        Inbox events = new Inbox(ui);
        Div view = new Div();
        ann.accessSynchronously(() -> PubSub.current().join("room:lobby", "Ann"));
        ui.accessSynchronously(() -> {
            ui.add(view);
            PubSub.whileAttached(view).subscribePresence(ROOM,
                    event -> events.add(event.kind() + " " + event.presence().descriptor()));
        });
        app.deliver();

        ui.accessSynchronously(() -> ui.remove(view));
        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();

        assertThat(events.messages).containsExactly("PRESENT Ann", "PRESENT Ann");
    }

    @Test
    void whatThePageMayNotDo_failsAtTheCall_attachedOrNotYet() {
        PubSubHub.builder().authorizer((page, action, topic) -> !"room:secret".equals(topic)).install(app.service);
        Topic<String> secret = Topic.of("room:secret", String.class);
        UI ui = app.browser().pushTab();
        Div attached = new Div();
        Div later = new Div();
        ui.accessSynchronously(() -> {
            ui.add(attached);
            assertThatThrownBy(() -> PubSub.whileAttached(attached).subscribeTopic(secret, message -> { }))
                    .isInstanceOf(PubSubAccessDeniedException.class);
            assertThatThrownBy(() -> PubSub.whileAttached(later).subscribeTopic(secret, message -> { }))
                    .as("asked about the current page before the first attach")
                    .isInstanceOf(PubSubAccessDeniedException.class);
            ui.add(later);
        });
        assertThat(PubSub.of(ui).subscriptionCount()).isZero();
    }

    @Test
    void anAuthorizerThatRefusesAtALaterAttach_throwsFromThatAttach() {
        AtomicBoolean allowed = new AtomicBoolean(true);
        PubSubHub.builder().authorizer((page, action, topic) -> allowed.get()).install(app.service);
        UI ui = app.browser().pushTab();
        Div view = new Div();
        ui.accessSynchronously(() -> PubSub.whileAttached(view).subscribeTopic(NEWS, message -> { }));
        allowed.set(false);

        ui.accessSynchronously(() -> assertThatThrownBy(() -> ui.add(view))
                .isInstanceOf(PubSubAccessDeniedException.class));
        assertThat(PubSub.of(ui).subscriptionCount()).isZero();
    }

    @Test
    void badArguments_failAtTheCall() {
        UI ui = app.browser().pushTab();
        Div view = new Div();
        ui.accessSynchronously(() -> {
            assertThatThrownBy(() -> PubSub.whileAttached(null)).isInstanceOf(NullPointerException.class)
                    .hasMessageContaining("component");
            assertThatThrownBy(() -> PubSub.whileAttached(view).subscribeTopic(null, message -> { }))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("topic");
            assertThatThrownBy(() -> PubSub.whileAttached(view).subscribeTopic(NEWS, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("handler");
            assertThatThrownBy(() -> PubSub.whileAttached(view).join(ROOM, null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("descriptor");
        });
        assertThatThrownBy(() -> Topic.of(" ", String.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("blank");
        assertThatThrownBy(() -> Topic.of("news", int.class)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("primitive");
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void aMessageOfAnotherTypeOnATypedTopic_failsAtTheSend_andNothingIsSent() {
        UI ui = app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        ui.accessSynchronously(() -> PubSub.current().subscribeTopic("news", Object.class, inbox::add));
        Topic raw = NEWS;

        assertThatThrownBy(() -> app.hub().sendAllOnTopic(raw, 42)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("java.lang.Integer cannot be sent on topic 'news', whose messages are "
                        + "java.lang.String");
        ui.accessSynchronously(() -> assertThatThrownBy(() -> PubSub.current().sendOthersOnTopic(raw, 42))
                .isInstanceOf(IllegalArgumentException.class));
        ui.accessSynchronously(() -> PubSub.current().sendAllOnTopic(NEWS, "typed"));
        app.deliver();

        assertThat(inbox.messages).containsExactly("typed");
    }

    @Test
    void topics_areEqualByNameAndType() {
        assertThat(Topic.of("news", String.class)).isEqualTo(NEWS).hasSameHashCodeAs(NEWS);
        assertThat(Topic.of("news", Integer.class)).isNotEqualTo(NEWS);
        assertThat(NEWS).hasToString("Topic[news, String]");
    }
}
