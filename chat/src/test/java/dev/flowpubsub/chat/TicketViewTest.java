package dev.flowpubsub.chat;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.mock.MockedUI;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.avatar.AvatarGroup;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.dom.DomEvent;
import com.vaadin.flow.dom.Element;
import dev.flowpubsub.testing.PubSubTesting;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

import java.util.List;

import static com.github.mvysny.kaributesting.v10.ButtonKt._click;
import static com.github.mvysny.kaributesting.v10.ElementUtilsKt._fireDomEvent;
import static com.github.mvysny.kaributesting.v10.HasValueUtilsKt._setValue;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;

/** The shared ticket form, as two people use it: each sees the other's edits, who is on it, and saves. */
class TicketViewTest {

    @BeforeEach
    void openTheApp() {
        MockVaadin.setup(MockedUI::new, new MockChatServlet());
    }

    @AfterEach
    void closeTheApp() {
        MockVaadin.tearDown();
    }

    private static Void open(String name, String ticket) {
        UI.getCurrent().navigate(RoomsView.class);
        _setValue(_get(TextField.class, spec -> spec.withPlaceholder("Your name")), name);
        _click(_get(Button.class, spec -> spec.withText("# general")));
        UI.getCurrent().navigate("ticket/" + ticket);
        return null;
    }

    private static TextField title() {
        return _get(TextField.class, spec -> spec.withLabel("Title"));
    }

    /** Types a title as a browser reports it: focus, the value, blur. */
    private static Void retitle(String text) {
        Element field = title().getElement();
        _fireDomEvent(field, new DomEvent(field, "focus", JsonNodeFactory.instance.objectNode()));
        _setValue(title(), text);
        _fireDomEvent(field, new DomEvent(field, "blur", JsonNodeFactory.instance.objectNode()));
        return null;
    }

    private static List<String> onTheTicket() {
        PubSubTesting.deliverPending();
        return _get(AvatarGroup.class).getItems().stream().map(AvatarGroup.AvatarGroupItem::getName).toList();
    }

    @Test
    void anEditOnOnePage_showsOnTheOther_andBothShowWhoIsOnTheTicket() {
        try (ChatUser bob = new ChatUser()) {
            open("Ann", "2");
            bob.does(() -> open("Bob", "2"));

            retitle("Dark mode, and a light one");

            assertThat(bob.does(() -> {
                PubSubTesting.deliverPending();
                return title().getValue();
            })).isEqualTo("Dark mode, and a light one");
            assertThat(onTheTicket()).containsExactlyInAnyOrder("Ann", "Bob");
        }
    }

    @Test
    void save_writesTheSharedValuesToTheStore_andAnotherTicketIsItsOwn() {
        open("Ann", "3");
        retitle("Order tea too");
        _click(_get(Button.class, spec -> spec.withText("Save")));

        assertThat(Tickets.load("3").getTitle()).isEqualTo("Order tea too");
        UI.getCurrent().navigate("ticket/1");
        PubSubTesting.deliverPending();
        assertThat(title().getValue()).isEqualTo(Tickets.load("1").getTitle());
    }
}
