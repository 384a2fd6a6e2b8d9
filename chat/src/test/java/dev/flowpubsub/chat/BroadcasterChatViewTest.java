package dev.flowpubsub.chat;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.textfield.TextField;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static com.github.mvysny.kaributesting.v10.ButtonKt._click;
import static com.github.mvysny.kaributesting.v10.HasValueUtilsKt._setValue;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The benchmarks' second route: the same chat on the docs' Broadcaster, which must work like the first. */
class BroadcasterChatViewTest {

    @BeforeEach
    void openBroadcasterChat() {
        MockVaadin.setup(new Routes().autoDiscoverViews("dev.flowpubsub.chat"));
        UI.getCurrent().navigate("broadcaster");
    }

    @AfterEach
    void closeChat() {
        MockVaadin.tearDown();
    }

    /** Messages arrive from the Broadcaster's executor thread through ui.access, which runs at the next round trip. */
    private static List<String> shownMessagesOnceThere(int count) {
        await().atMost(Duration.ofSeconds(5)).pollInSameThread().until(() -> {
            MockVaadin.clientRoundtrip(false);
            return _find(Paragraph.class).size() >= count;
        });
        return _find(Paragraph.class).stream().map(Paragraph::getText).toList();
    }

    @Test
    void send_showsNameColonMessage_throughTheDocsBroadcaster() {
        assertThat(_get(BroadcasterChatView.class)).isNotNull();
        _setValue(_get(TextField.class, spec -> spec.withPlaceholder("Your name")), "Ann");
        _setValue(_get(TextField.class, spec -> spec.withPlaceholder("Your message...")), "hello");
        _click(_get(Button.class, spec -> spec.withText("Send")));

        assertThat(shownMessagesOnceThere(1)).containsExactly("Ann: hello");
    }

    @Test
    void leavingThePage_removesItsListener() {
        int before = Broadcaster.listeners.size();
        UI.getCurrent().navigate("");

        assertThat(Broadcaster.listeners).hasSize(before - 1);
    }
}
