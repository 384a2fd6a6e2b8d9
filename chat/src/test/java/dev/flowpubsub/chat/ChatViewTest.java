package dev.flowpubsub.chat;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.dom.Element;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.testing.PubSubTesting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static com.github.mvysny.kaributesting.v10.ButtonKt._click;
import static com.github.mvysny.kaributesting.v10.HasValueUtilsKt._setValue;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.NotificationsKt.expectNotifications;
import static com.github.mvysny.kaributesting.v10.ShortcutsKt._fireShortcut;
import static org.assertj.core.api.Assertions.assertThat;

/** The seed's chat, used as a user would: type, Send, read. */
class ChatViewTest {

    @BeforeEach
    void openChat() {
        MockVaadin.setup(new Routes().autoDiscoverViews("dev.flowpubsub.chat"));
    }

    @AfterEach
    void closeChat() {
        MockVaadin.tearDown();
    }

    private static TextField nameField() {
        return _get(TextField.class, spec -> spec.withPlaceholder("Your name"));
    }

    private static TextField messageField() {
        return _get(TextField.class, spec -> spec.withPlaceholder("Your message..."));
    }

    private static void send(String name, String message) {
        _setValue(nameField(), name);
        _setValue(messageField(), message);
        _click(_get(Button.class, spec -> spec.withText("Send")));
    }

    /** The messages this page shows, after every pending delivery has run. */
    private static List<String> shownMessages() {
        PubSubTesting.deliverPending();
        return _find(Paragraph.class).stream().map(Paragraph::getText).toList();
    }

    @Test
    void layout_isTheSeeds_nameOf150px_messageTakingTheRest_andSend() {
        assertThat(nameField().getWidth()).isEqualTo("150px");
        assertThat(messageField().getPlaceholder()).isEqualTo("Your message...");
        assertThat(_get(Button.class, spec -> spec.withText("Send"))).isNotNull();
    }

    @Test
    void send_showsNameColonMessage_andClearsTheMessageField() {
        send("Ann", "hello");

        assertThat(shownMessages()).containsExactly("Ann: hello");
        assertThat(messageField().getValue()).isEmpty();
        assertThat(nameField().getValue()).isEqualTo("Ann");
    }

    @Test
    void enterInTheMessageField_sends() {
        _setValue(nameField(), "Ann");
        _setValue(messageField(), "via enter");

        _fireShortcut(messageField(), Key.ENTER);

        assertThat(shownMessages()).containsExactly("Ann: via enter");
        assertThat(messageField().getValue()).isEmpty();
    }

    @Test
    void blankMessage_isNotSent() {
        send("Ann", "   ");

        assertThat(shownMessages()).isEmpty();
        assertThat(PubSubHub.current().stats().sent()).isZero();
    }

    @Test
    void blankName_isShownAsAnonymous() {
        send("  ", "who am I");

        assertThat(shownMessages()).containsExactly("Anonymous: who am I");
    }

    @Test
    void markup_isShownAsText_neverAsHtml() {
        send("<i>Eve</i>", "<b>x</b><img src=x onerror=alert(1)>");

        assertThat(shownMessages()).containsExactly("<i>Eve</i>: <b>x</b><img src=x onerror=alert(1)>");
        Element shown = _get(Paragraph.class).getElement();
        assertThat(shown.getChildCount()).isEqualTo(1);
        assertThat(shown.getChild(0).isTextNode()).as("the message is one text node, not parsed markup").isTrue();
        assertThat(shown.getProperty("innerHTML")).isNull();
    }

    @Test
    void goingToTheRoomsAndBack_leavesOneSubscription_andEachMessageShowsOnce() {
        UI.getCurrent().navigate(RoomsView.class);
        UI.getCurrent().navigate(ChatView.class);
        UI.getCurrent().navigate(RoomsView.class);
        UI.getCurrent().navigate(ChatView.class);

        send("Ann", "once");

        assertThat(shownMessages()).containsExactly("Ann: once");
        assertThat(PubSub.current().subscriptionCount()).isEqualTo(1);
    }

    @Test
    void messageFromAnotherSession_appearsHere_andOurReplyAppearsThere() {
        try (ChatUser bob = new ChatUser()) {
            bob.does(() -> {
                send("Bob", "hi Ann");
                return null;
            });

            assertThat(shownMessages()).containsExactly("Bob: hi Ann");

            send("Ann", "hi Bob");
            assertThat(shownMessages()).containsExactly("Bob: hi Ann", "Ann: hi Bob");
            assertThat(bob.does(ChatViewTest::shownMessages)).containsExactly("Bob: hi Ann", "Ann: hi Bob");
        }
    }

    @Test
    void nameAndMessage_areLimitedInLength_inTheBrowserAndOnTheServer() {
        assertThat(nameField().getMaxLength()).isEqualTo(40);
        assertThat(messageField().getMaxLength()).isEqualTo(500);

        // a crafted request sets a value the browser's limit would never allow
        send("N".repeat(100), "m".repeat(2_000));

        assertThat(shownMessages()).containsExactly("N".repeat(40) + ": " + "m".repeat(500));
    }

    @Test
    void aPage_showsAtMostTheLast500Messages() {
        PubSubHub hub = PubSubHub.get(UI.getCurrent().getSession().getService());
        for (int i = 1; i <= 520; i++) {
            hub.sendAll("Server: message " + i);
        }

        List<String> shown = shownMessages();

        assertThat(shown).hasSize(500);
        assertThat(shown.getFirst()).isEqualTo("Server: message 21");
        assertThat(shown.getLast()).isEqualTo("Server: message 520");
    }

    @Test
    void sendingFasterThanTheBudget_showsANotice_andKeepsTheMessageInItsField() {
        // the budget refills 10 a second, so on a slow machine a few more than the burst of 20 may go first
        String refused = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            send("Ann", "quick " + i);
            if (!messageField().getValue().isEmpty()) {
                refused = "quick " + i;
            }
        }

        assertThat(refused).as("a send faster than the budget is refused").isNotNull();
        assertThat(messageField().getValue()).as("kept, to send again").isEqualTo(refused);
        expectNotifications("You are sending faster than the chat allows: wait a moment, then send again.");
        assertThat(shownMessages()).hasSizeGreaterThanOrEqualTo(20).doesNotContain("Ann: " + refused);
    }
}
