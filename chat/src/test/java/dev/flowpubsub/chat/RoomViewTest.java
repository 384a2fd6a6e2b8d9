package dev.flowpubsub.chat;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.mock.MockedUI;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.avatar.AvatarGroup;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.messages.MessageInput;
import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.RouterLink;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.testing.PubSubTesting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.github.mvysny.kaributesting.v10.ButtonKt._click;
import static com.github.mvysny.kaributesting.v10.HasValueUtilsKt._setValue;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.MessagesKt._submit;
import static com.github.mvysny.kaributesting.v10.NavigatorKt.getCurrentView;
import static com.github.mvysny.kaributesting.v10.RouterLinkKt._click;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rooms, used as people would: pick a name, enter a room, talk, go elsewhere. Ann is the test's own
 * session; Bob and Cid are {@link ChatUser}s, each in a session (and on a thread) of their own, so every
 * helper below works for whoever calls it.
 */
class RoomViewTest {

    @BeforeEach
    void openTheApp() {
        MockVaadin.setup(MockedUI::new, new MockChatServlet());
    }

    @AfterEach
    void closeTheApp() {
        MockVaadin.tearDown();
    }

    // ---- what a person does and sees ----------------------------------------------------------

    /** Goes to the rooms page, types a name and clicks the room's button. */
    private static Void enter(String name, String room) {
        UI.getCurrent().navigate(RoomsView.class);
        _setValue(_get(TextField.class, spec -> spec.withPlaceholder("Your name")), name);
        _click(_get(Button.class, spec -> spec.withText("# " + room)));
        return null;
    }

    private static Void say(String text) {
        _submit(_get(MessageInput.class), text);
        return null;
    }

    /** Clicks another room's link in the room view. */
    private static Void goTo(String room) {
        _click(_get(RouterLink.class, spec -> spec.withText("# " + room)));
        return null;
    }

    /** The message list, top to bottom, each as "name: text", after every pending delivery has run. */
    private static List<String> messages() {
        PubSubTesting.deliverPending();
        return _get(MessageList.class).getItems().stream().map(item -> item.getUserName() + ": " + item.getText())
                .toList();
    }

    /** The names under "Here now" (the avatars), after every pending delivery has run. */
    private static List<String> people() {
        PubSubTesting.deliverPending();
        return _get(AvatarGroup.class).getItems().stream().map(AvatarGroup.AvatarGroupItem::getName).toList();
    }

    private static String title() {
        return _get(H2.class).getText();
    }

    /** Who the hub has on a room, once the joins and leaves sent so far have been applied (they go in order). */
    private static List<Object> presentOnTheServer(String room) {
        PubSubTesting.deliverPending();
        return PubSubHub.current().presence("room:" + room).stream()
                .map(present -> (Object) ((Map<?, ?>) present.descriptor()).get("name")).toList();
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test
    void enteringARoom_showsItsLastMessages_thenLiveOnes() {
        try (ChatUser bob = new ChatUser()) {
            bob.does(() -> enter("Bob", "general"));
            bob.does(() -> say("first"));
            bob.does(() -> say("second"));

            enter("Ann", "general");
            assertThat(messages()).containsExactly("Bob: first", "Bob: second");

            bob.does(() -> say("third, live"));
            assertThat(messages()).containsExactly("Bob: first", "Bob: second", "Bob: third, live");
        }
    }

    @Test
    void history_keepsTheLast50MessagesOfTheRoom() {
        // three people, each within the send budget of one browser session (bursts of 20)
        try (ChatUser bob = new ChatUser(); ChatUser cid = new ChatUser(); ChatUser dee = new ChatUser()) {
            bob.does(() -> enter("Bob", "random"));
            cid.does(() -> enter("Cid", "random"));
            dee.does(() -> enter("Dee", "random"));
            for (int i = 1; i <= 55; i++) {
                int n = i;
                (i <= 19 ? bob : i <= 38 ? cid : dee).does(() -> say("message " + n));
            }

            enter("Ann", "random");

            List<String> shown = messages();
            assertThat(shown).hasSize(50);
            assertThat(shown.getFirst()).isEqualTo("Bob: message 6");
            assertThat(shown.getLast()).isEqualTo("Dee: message 55");
        }
    }

    @Test
    void message_reachesEveryoneInTheRoom_andNoOneInAnotherRoom() {
        try (ChatUser bob = new ChatUser(); ChatUser cid = new ChatUser()) {
            cid.does(() -> enter("Cid", "random"));
            enter("Ann", "general");
            bob.does(() -> enter("Bob", "general"));

            say("hello, general");

            assertThat(messages()).containsExactly("Ann: hello, general");
            assertThat(bob.does(RoomViewTest::messages)).containsExactly("Ann: hello, general");
            assertThat(cid.does(RoomViewTest::messages)).isEmpty();
        }
    }

    @Test
    void presenceList_showsWhoIsHere_andDropsSomeoneWhoClosesTheirTab() {
        ChatUser bob = new ChatUser();
        try (ChatUser cid = new ChatUser()) {
            enter("Ann", "general");
            assertThat(people()).containsExactly("Ann");

            bob.does(() -> enter("Bob", "general"));
            cid.does(() -> enter("Cid", "vaadin"));
            assertThat(people()).containsExactlyInAnyOrder("Ann", "Bob");
            assertThat(bob.does(RoomViewTest::people)).isEqualTo(people()); // the same order on every page
            assertThat(cid.does(RoomViewTest::people)).containsExactly("Cid");

            bob.close();

            assertThat(people()).containsExactly("Ann");
            assertThat(presentOnTheServer("general")).containsExactly("Ann");
        } finally {
            bob.close();
        }
    }

    @Test
    void someoneComingAndGoing_showsInTheAvatarsOfThoseAlreadyThere() {
        try (ChatUser bob = new ChatUser()) {
            bob.does(() -> enter("Bob", "general"));

            enter("Ann", "general");
            assertThat(bob.does(RoomViewTest::people)).containsExactlyInAnyOrder("Bob", "Ann");

            UI.getCurrent().navigate(ChatView.class); // Ann goes back to the plain chat
            assertThat(bob.does(RoomViewTest::people)).containsExactly("Bob");
        }
    }

    @Test
    void goingToAnotherRoom_leavesTheFirst_andEntersTheSecond() {
        try (ChatUser bob = new ChatUser()) {
            enter("Ann", "general");
            say("before Bob moves");
            bob.does(() -> enter("Bob", "general"));
            bob.does(() -> enter("Bob", "random")); // warm up random: Bob leaves a message there
            bob.does(() -> say("anyone in random?"));
            bob.does(() -> goTo("general"));
            assertThat(people()).containsExactlyInAnyOrder("Ann", "Bob");

            bob.does(() -> goTo("random"));

            assertThat(bob.does(RoomViewTest::title)).isEqualTo("# random");
            assertThat(bob.does(RoomViewTest::people)).containsExactly("Bob");
            assertThat(bob.does(RoomViewTest::messages)).as("random's history, nothing of general")
                    .containsExactly("Bob: anyone in random?");
            assertThat(people()).containsExactly("Ann");

            say("Bob, are you there?");
            assertThat(bob.does(RoomViewTest::messages)).containsExactly("Bob: anyone in random?");
            assertThat(presentOnTheServer("general")).containsExactly("Ann");
            assertThat(presentOnTheServer("random")).containsExactly("Bob");
        }
    }

    @Test
    void comingBackToARoom_showsItsWholeHistory_withWhatWasSaidMeanwhile_andSeatsOneOnceMore() {
        try (ChatUser bob = new ChatUser()) {
            enter("Ann", "general");
            say("before Ann leaves");
            bob.does(() -> enter("Bob", "general"));
            goTo("random");
            say("Ann in random");
            bob.does(() -> say("while Ann is in random"));

            goTo("general");

            assertThat(title()).isEqualTo("# general");
            assertThat(messages()).as("general's history, nothing of random, once")
                    .containsExactly("Ann: before Ann leaves", "Bob: while Ann is in random");
            assertThat(people()).containsExactlyInAnyOrder("Bob", "Ann");
            assertThat(bob.does(RoomViewTest::messages)).containsExactly("Ann: before Ann leaves",
                    "Bob: while Ann is in random");
            assertThat(presentOnTheServer("general")).containsExactlyInAnyOrder("Bob", "Ann");
            assertThat(presentOnTheServer("random")).isEmpty();
        }
    }

    @Test
    void followingTheLinkOfTheRoomOneIsIn_changesNothing() {
        try (ChatUser bob = new ChatUser()) {
            enter("Ann", "general");
            bob.does(() -> enter("Bob", "general"));
            bob.does(() -> say("hi"));

            bob.does(() -> goTo("general"));

            assertThat(messages()).containsExactly("Bob: hi");
            assertThat(bob.does(RoomViewTest::messages)).containsExactly("Bob: hi");
            assertThat(bob.does(RoomViewTest::people)).containsExactlyInAnyOrder("Ann", "Bob");
            assertThat(presentOnTheServer("general")).containsExactlyInAnyOrder("Ann", "Bob"); // seated once each
        }
    }

    @Test
    void blankName_entersAsAnonymous() {
        enter("   ", "general");
        say("who am I");

        assertThat(people()).containsExactly("Anonymous");
        assertThat(messages()).containsExactly("Anonymous: who am I");
    }

    @Test
    void theRoomsPage_remembersTheNameOfThisBrowserSession() {
        enter("Ann", "general");

        _click(_get(RouterLink.class, spec -> spec.withText("Change name")));

        assertThat(getCurrentView()).isEqualTo(RoomsView.class);
        assertThat(_get(TextField.class, spec -> spec.withPlaceholder("Your name")).getValue()).isEqualTo("Ann");
    }

    @Test
    void aRoomOpenedWithoutAName_orAnUnknownRoom_leadsToTheRoomsPage() {
        UI.getCurrent().navigate("rooms/general");
        assertThat(getCurrentView()).as("no name chosen yet").isEqualTo(RoomsView.class);

        enter("Ann", "general");
        UI.getCurrent().navigate("rooms/no-such-room");
        assertThat(getCurrentView()).as("an unknown room").isEqualTo(RoomsView.class);
        assertThat(presentOnTheServer("general")).as("Ann left general on the way").isEmpty();
    }

    @Test
    void markup_isShownAsText_inMessagesAndNames() {
        String markup = "<b>x</b><img src=x onerror=alert(1)>";
        enter("<i>Eve</i>", "general");
        say(markup);

        // Vaadin's message list and avatar group render their items' text as text (markdown is off)
        assertThat(messages()).containsExactly("<i>Eve</i>: " + markup);
        assertThat(people()).containsExactly("<i>Eve</i>");
        assertThat(_get(MessageList.class).isMarkdown()).isFalse();
    }
}
