package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.shared.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A session with subscribed pages serializes (session persistence, replication), as Vaadin sessions must. What the
 * hub holds of its pages is not serialized: read back, the pages' page-scoped subscriptions are gone, which one log
 * line per page says, and a registration kept in a view does nothing when removed.
 */
class SessionSerializationTest {

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    /** A view keeping its registrations in fields, as views do to end them later. */
    static final class RoomView extends Div {
        Registration messages;
        PresenceRegistration here;
    }

    @Test
    void sessionWithSubscribedPagesAndViews_serializes_andReadBackItsPagesHoldNothing() throws Exception {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(10, "room:")).install(app.service);
        VaadinApp.Browser browser = app.browser();
        UI first = browser.pushTab();
        UI second = browser.pushTab();
        RoomView view = new RoomView();
        first.accessSynchronously(() -> {
            first.add(view);
            PubSub pubsub = PubSub.current();
            pubsub.subscribe(message -> view.setText(String.valueOf(message)));
            view.messages = pubsub.subscribeTopicWithHistory("room:a", String.class, view::setText);
            view.here = pubsub.join("room:a", "Ann");
            pubsub.subscribePresence("room:a", event -> { });
        });
        second.accessSynchronously(() -> PubSub.current().subscribeTopic("news", message -> { }));
        app.deliver();

        byte[] bytes;
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        VaadinSession readBack;
        List<UI> pagesReadBack;
        try {
            browser.session.lock();
            try {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
                    objects.writeObject(browser.session);
                    // in production mode the session writes its UIs too; this mocked one runs in development mode,
                    // where Vaadin leaves them out: written here as the session would
                    objects.writeObject(new java.util.ArrayList<>(browser.session.getUIs()));
                }
                bytes = out.toByteArray();
            } finally {
                browser.session.unlock();
            }
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
                readBack = (VaadinSession) objects.readObject();
                @SuppressWarnings("unchecked")
                List<UI> uis = (List<UI>) objects.readObject();
                pagesReadBack = uis;
            }
        } finally {
            System.setErr(originalErr);
        }

        assertThat(bytes.length).isPositive();
        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("UI " + first.getUIId() + " was read back from a serialized session: its 3 page-scoped "
                        + "subscription(s) and 1 presence(s) ended")
                .contains("UI " + second.getUIId() + " was read back from a serialized session: its 1 page-scoped");
        assertThat(readBack).isNotNull();
        List<UI> pages = pagesReadBack;
        assertThat(pages).hasSize(2);
        RoomView restored = pages.stream().flatMap(UI::getChildren).filter(RoomView.class::isInstance)
                .map(RoomView.class::cast).findFirst().orElseThrow();
        restored.messages.remove(); // ended with the serialization: nothing to do, no failure
        restored.here.remove();

        // the live session goes on as if nothing happened
        hub.sendAllOnTopic("room:a", "still live");
        app.deliver();
        assertThat(view.getText()).isEqualTo("still live");
        assertThat(hub.stats().subscribedUis()).isEqualTo(2);
    }
}
