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

        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        ReadBack readBack;
        try {
            System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
            readBack = writeAndReadBack(browser);
        } finally {
            System.setErr(originalErr);
        }

        assertThat(log.toString(StandardCharsets.UTF_8))
                .contains("UI " + first.getUIId() + " was read back from a serialized session: its 3 page-scoped "
                        + "subscription(s) and 1 presence(s) ended")
                .contains("UI " + second.getUIId() + " was read back from a serialized session: its 1 page-scoped");
        assertThat(readBack.session()).isNotNull();
        List<UI> pages = readBack.pages();
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

    @Test
    void sessionWithAComponentsSubscriptions_serializes_andReadBackTheyDoNothing() throws Exception {
        PubSubHub hub = PubSubHub.builder().history(HistoryPolicy.keep(10, "room:")).install(app.service);
        Topic<String> room = Topic.of("room:a", String.class);
        VaadinApp.Browser browser = app.browser();
        UI ui = browser.pushTab();
        RoomView view = new RoomView();
        ui.accessSynchronously(() -> {
            ComponentPubSub pubsub = PubSub.whileAttached(view);
            view.messages = pubsub.subscribeTopicWithHistory(room, view::setText, view::removeAll);
            pubsub.subscribe(String.class, view::setText);
            pubsub.join(room, "Ann");
            pubsub.subscribePresence(room, event -> { });
            ui.add(view);
        });
        app.deliver();

        ReadBack readBack = writeAndReadBack(browser);

        RoomView restored = readBack.pages().stream().flatMap(UI::getChildren).filter(RoomView.class::isInstance)
                .map(RoomView.class::cast).findFirst().orElseThrow();
        restored.messages.remove(); // ended with the serialization: nothing to do, no failure
        hub.sendAllOnTopic(room, "still live");
        app.deliver();
        assertThat(view.getText()).isEqualTo("still live");
        assertThat(hub.presence("room:a")).hasSize(1);
    }

    private record ReadBack(VaadinSession session, List<UI> pages) {
    }

    /** Writes the session as a container persisting it would, and reads it back. */
    private static ReadBack writeAndReadBack(VaadinApp.Browser browser) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        browser.session.lock();
        try (ObjectOutputStream objects = new ObjectOutputStream(out)) {
            objects.writeObject(browser.session);
            // in production mode the session writes its UIs too; this mocked one runs in development mode,
            // where Vaadin leaves them out: written here as the session would
            objects.writeObject(new java.util.ArrayList<>(browser.session.getUIs()));
        } finally {
            browser.session.unlock();
        }
        assertThat(out.size()).isPositive();
        try (ObjectInputStream objects = new ObjectInputStream(new ByteArrayInputStream(out.toByteArray()))) {
            VaadinSession session = (VaadinSession) objects.readObject();
            @SuppressWarnings("unchecked")
            List<UI> pages = (List<UI>) objects.readObject();
            return new ReadBack(session, pages);
        }
    }
}
