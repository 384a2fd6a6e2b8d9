package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinSession;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * What one test handler received, and on which thread with which lock, so a test can assert what a
 * page would have shown.
 */
public final class Inbox {

    public final List<Object> messages = new CopyOnWriteArrayList<>();
    public final List<String> problems = new CopyOnWriteArrayList<>();
    private final UI ui;

    public Inbox(UI ui) {
        this.ui = ui;
    }

    /** The handler to subscribe: records the message and checks it runs inside this page's access. */
    public void add(Object message) {
        if (!ui.equals(UI.getCurrent())) {
            problems.add("ran with UI.getCurrent() = " + UI.getCurrent() + " instead of UI " + ui.getUIId());
        }
        VaadinSession session = ui.getSession();
        if (session == null || !session.hasLock()) {
            problems.add("ran without the session lock of UI " + ui.getUIId());
        }
        messages.add(message);
    }

    public void addWithTopic(String topic, Object message) {
        add(topic + "|" + message);
    }
}
