package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Subscriptions that follow a component and a target that changes while it stays attached
 * ({@link ComponentPubSub#retargetable}): a view whose room is a route parameter leaves one room for another and
 * comes back, with each room's history and presence right each time. Retargeting here is what {@code beforeEnter}
 * does when only the route parameter changes (the chat's {@code RoomViewTest} navigates for real).
 */
class RetargetableTest {

    private final VaadinApp app = new VaadinApp();
    private PubSubHub hub;
    private UI ui;
    private UI watcher;
    private Inbox shown;
    private Inbox presence;
    private final Div view = new Div();

    @BeforeEach
    void openTwoPages() {
        hub = PubSubHub.builder().history(HistoryPolicy.keep(5, "room:")).install(app.service);
        ui = app.browser().pushTab();
        watcher = app.browser().pushTab();
        shown = new Inbox(ui);
        presence = new Inbox(watcher);
        watcher.accessSynchronously(() -> {
            for (String room : List.of("a", "b")) {
                PubSub.current().subscribePresence("room:" + room,
                        event -> presence.add(room + " " + event.kind() + " " + event.presence().descriptor()));
            }
        });
    }

    @AfterEach
    void close() {
        app.close();
    }

    /** The room view of the chat, in short: entering clears what it showed, joins, and follows the messages. */
    private Retargetable<String> roomView() {
        AtomicReference<Retargetable<String>> following = new AtomicReference<>();
        ui.accessSynchronously(() -> {
            // snippet:retarget
            Retargetable<String> room = PubSub.whileAttached(view).retargetable((pubsub, name) -> {
                shown.add("entered " + name);
                pubsub.join("room:" + name, "Ann");
                pubsub.subscribeTopicWithHistory("room:" + name, String.class, shown::add);
            });
            // end:retarget
            following.set(room);
        });
        return following.get();
    }

    private void retarget(Retargetable<String> room, String name) {
        ui.accessSynchronously(() -> room.retarget(name));
        app.deliver();
    }

    @Test
    void leavingARoomForAnother_andComingBack_handsEachRoomsWholeHistory_andMovesThePresence() {
        hub.sendAllOnTopic("room:a", "a1");
        hub.sendAllOnTopic("room:b", "b1");
        Retargetable<String> room = roomView();
        ui.accessSynchronously(() -> ui.add(view));
        retarget(room, "a");
        hub.sendAllOnTopic("room:a", "a2");
        app.deliver();
        assertThat(hub.presence("room:a")).extracting(Presence::descriptor).containsExactly("Ann");

        retarget(room, "b");
        assertThat(hub.presence("room:a")).isEmpty();
        assertThat(hub.presence("room:b")).extracting(Presence::descriptor).containsExactly("Ann");
        hub.sendAllOnTopic("room:a", "a3 while in b");
        hub.sendAllOnTopic("room:b", "b2");
        app.deliver();

        retarget(room, "a");
        hub.sendAllOnTopic("room:b", "b3 while back in a");
        app.deliver();

        assertThat(shown.messages).containsExactly("entered a", "a1", "a2", "entered b", "b1", "b2",
                "entered a", "a1", "a2", "a3 while in b");
        assertThat(shown.problems).isEmpty();
        assertThat(presence.messages).containsExactly("a JOIN Ann", "a LEAVE Ann", "b JOIN Ann", "b LEAVE Ann",
                "a JOIN Ann");
        assertThat(hub.presence("room:b")).isEmpty();
        assertThat(PubSub.of(ui).subscriptionCount()).as("one room's subscription, not one per visit").isEqualTo(1);
        assertThat(room.target()).isEqualTo("a");
    }

    @Test
    void retargetingToTheRoomItIsIn_changesNothing() {
        hub.sendAllOnTopic("room:a", "a1");
        Retargetable<String> room = roomView();
        ui.accessSynchronously(() -> ui.add(view));
        retarget(room, "a");
        retarget(room, new String("a")); // equal, not the same object

        assertThat(shown.messages).containsExactly("entered a", "a1");
        assertThat(presence.messages).containsExactly("a JOIN Ann");
    }

    @Test
    void aTargetSetWhileDetached_isEnteredAtAttach_andDetachingLeavesIt() {
        hub.sendAllOnTopic("room:a", "a1");
        Retargetable<String> room = roomView();
        retarget(room, "a");
        assertThat(shown.messages).as("nothing is taken while detached").isEmpty();
        assertThat(hub.presence("room:a")).isEmpty();

        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();
        assertThat(hub.presence("room:a")).extracting(Presence::descriptor).containsExactly("Ann");

        ui.accessSynchronously(() -> ui.remove(view));
        app.deliver();
        assertThat(hub.presence("room:a")).isEmpty();
        assertThat(PubSub.of(ui).subscriptionCount()).isZero();
        retarget(room, "b");
        hub.sendAllOnTopic("room:b", "b1");
        ui.accessSynchronously(() -> ui.add(view));
        app.deliver();

        assertThat(shown.messages).containsExactly("entered a", "a1", "entered b", "b1");
        assertThat(presence.messages).containsExactly("a JOIN Ann", "a LEAVE Ann", "b JOIN Ann");
    }

    @Test
    void noTarget_takesNothing_andLeavesTheRoomItWasIn() {
        Retargetable<String> room = roomView();
        ui.accessSynchronously(() -> ui.add(view));
        assertThat(PubSub.of(ui).subscriptionCount()).isZero();
        retarget(room, "a");

        ui.accessSynchronously(() -> room.retarget(null));
        app.deliver();

        assertThat(room.target()).isNull();
        assertThat(hub.presence("room:a")).isEmpty();
        assertThat(PubSub.of(ui).subscriptionCount()).isZero();
    }

    @Test
    void aRefusalInTheFunction_isThrownFromRetarget_andWhatItTookBeforeTheRefusalIsRemoved() {
        app.close();
        VaadinApp strict = new VaadinApp();
        try {
            PubSubHub.builder().authorizer((page, action, topic) ->
                    action == TopicAuthorizer.Action.JOIN || !"room:secret".equals(topic)).install(strict.service);
            UI page = strict.browser().pushTab();
            Div room = new Div();
            AtomicReference<Retargetable<String>> following = new AtomicReference<>();
            page.accessSynchronously(() -> {
                page.add(room);
                following.set(PubSub.whileAttached(room).retargetable((pubsub, name) -> {
                    pubsub.join("room:" + name, "Ann"); // allowed everywhere: taken before the refusal
                    pubsub.subscribeTopic("room:" + name, message -> { });
                }));
                following.get().retarget("a");
            });

            page.accessSynchronously(() -> assertThatThrownBy(() -> following.get().retarget("secret"))
                    .isInstanceOf(PubSubAccessDeniedException.class));
            strict.deliver();

            assertThat(strict.hub().presence("room:secret")).as("the join taken before the refusal").isEmpty();
            assertThat(strict.hub().presence("room:a")).as("the room it left").isEmpty();
            assertThat(PubSub.of(page).subscriptionCount()).isZero();
            page.accessSynchronously(() -> following.get().retarget("a"));
            strict.deliver();
            assertThat(strict.hub().presence("room:a")).extracting(Presence::descriptor).containsExactly("Ann");
        } finally {
            strict.close();
        }
    }

    @Test
    void aRetargetThatFailed_isTriedAgain_whenRetargetedToTheSameTarget() {
        Retargetable<String> room = roomView();
        ui.accessSynchronously(() -> ui.add(view));
        retarget(room, "a");
        AtomicReference<Boolean> refuse = new AtomicReference<>(true);
        AtomicReference<Retargetable<String>> flaky = new AtomicReference<>();
        Div other = new Div();
        ui.accessSynchronously(() -> {
            ui.add(other);
            flaky.set(PubSub.whileAttached(other).retargetable((pubsub, name) -> {
                if (refuse.get()) {
                    throw new IllegalStateException("not yet");
                }
                pubsub.join("room:" + name, "Bob");
            }));
        });

        ui.accessSynchronously(() -> assertThatThrownBy(() -> flaky.get().retarget("b"))
                .hasMessage("not yet"));
        refuse.set(false);
        retarget(flaky.get(), "b"); // the user clicks the same room again

        assertThat(hub.presence("room:b")).extracting(Presence::descriptor).containsExactly("Bob");
    }

    @Test
    void retargetWithoutTheSessionLock_failsBeforeLeavingTheRoomItFollows() {
        Retargetable<String> room = roomView();
        ui.accessSynchronously(() -> ui.add(view));
        retarget(room, "a");

        assertThatThrownBy(() -> room.retarget("b"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("session lock");
        app.deliver();

        assertThat(room.target()).isEqualTo("a");
        assertThat(hub.presence("room:a")).extracting(Presence::descriptor).containsExactly("Ann");
        assertThat(PubSub.of(ui).subscriptionCount()).isEqualTo(1);
    }

    @Test
    void aCheckedExceptionThrownSneakilyByTheFunction_stillRemovesWhatItTook() {
        Div other = new Div();
        ui.accessSynchronously(() -> {
            ui.add(other);
            Retargetable<String> sneaky = PubSub.whileAttached(other).retargetable((pubsub, name) -> {
                pubsub.join("room:" + name, "Cid");
                pubsub.subscribeTopic("room:" + name, message -> { });
                RetargetableTest.<RuntimeException>sneakyThrow(new java.io.IOException("as Kotlin or Lombok may"));
            });
            assertThatThrownBy(() -> sneaky.retarget("a")).isInstanceOf(java.io.IOException.class);
        });
        app.deliver();

        assertThat(hub.presence("room:a")).isEmpty();
        assertThat(PubSub.of(ui).subscriptionCount()).isZero();
    }

    /** Throws a checked exception where none is declared, as Kotlin code or Lombok's {@code @SneakyThrows} does. */
    @SuppressWarnings("unchecked")
    private static <T extends Throwable> void sneakyThrow(Throwable checked) throws T {
        throw (T) checked;
    }

    @Test
    void remove_endsItForGood() {
        Retargetable<String> room = roomView();
        ui.accessSynchronously(() -> ui.add(view));
        retarget(room, "a");

        ui.accessSynchronously(() -> {
            room.remove();
            room.retarget("b");
            ui.remove(view);
            ui.add(view);
        });
        app.deliver();

        assertThat(hub.presence("room:a")).isEmpty();
        assertThat(hub.presence("room:b")).isEmpty();
        assertThat(PubSub.of(ui).subscriptionCount()).isZero();
        assertThat(shown.messages).containsExactly("entered a");
    }

    @Test
    void aComponentScopedSubscriptionTakenForATarget_endsWithIt() {
        Topic<String> news = Topic.of("news", String.class);
        Div child = new Div();
        view.add(child);
        AtomicReference<Retargetable<String>> room = new AtomicReference<>();
        ui.accessSynchronously(() -> {
            ui.add(view);
            room.set(PubSub.whileAttached(view).retargetable((pubsub, name) ->
                    PubSub.whileAttached(child).subscribeTopic(news, message -> shown.add(name + " " + message))));
            room.get().retarget("a");
            room.get().retarget("b");
        });
        hub.sendAllOnTopic(news, "n1");
        app.deliver();

        assertThat(shown.messages).as("one binding, the current target's").containsExactly("b n1");
        assertThat(PubSub.of(ui).subscriptionCount()).isEqualTo(1);
    }

    @Test
    void aMissingFunction_failsAtTheCall() {
        ui.accessSynchronously(() -> assertThatThrownBy(() -> PubSub.whileAttached(view).retargetable(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("subscriptions"));
    }
}
