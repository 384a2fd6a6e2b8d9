package dev.flowpubsub.chat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;

/**
 * The column of messages of a chat page, keeping the last {@value #MAX_SHOWN}: older ones are removed as new ones
 * come, so a page open for days, or one flooded by a busy room, holds a bounded number of components.
 */
class MessageList extends VerticalLayout {

    static final int MAX_SHOWN = 500;

    MessageList() {
        setPadding(false);
        setSpacing(false);
        addClassName("messages");
    }

    /** Adds a message at the bottom, removing the oldest beyond {@value #MAX_SHOWN}. */
    void append(Component message) {
        add(message);
        while (getComponentCount() > MAX_SHOWN) {
            remove(getComponentAt(0));
        }
    }
}
