package dev.flowpubsub.chat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;

import java.util.ArrayDeque;

/**
 * The column of messages of a chat page, keeping the last {@value #MAX_SHOWN}: older ones are removed as new ones
 * come, so a page open for days, or one flooded by a busy room, holds a bounded number of components. It counts its
 * messages itself: Vaadin's {@code getComponentCount()} and {@code getComponentAt(0)} walk every child, which made
 * each message cost as much as the whole column (the chat's main CPU cost under load, before).
 */
class MessageList extends VerticalLayout {

    static final int MAX_SHOWN = 500;

    private final ArrayDeque<Component> shown = new ArrayDeque<>();

    MessageList() {
        setPadding(false);
        setSpacing(false);
        addClassName("messages");
    }

    /** Adds a message at the bottom, removing the oldest beyond {@value #MAX_SHOWN}. */
    void append(Component message) {
        add(message);
        shown.addLast(message);
        while (shown.size() > MAX_SHOWN) {
            remove(shown.removeFirst());
        }
    }

    @Override
    public void removeAll() {
        super.removeAll();
        shown.clear();
    }
}
