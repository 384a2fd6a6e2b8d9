package dev.flowpubsub.chat;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;

import java.util.ArrayDeque;

/**
 * The column of messages of a chat page, keeping the last {@value #MAX_SHOWN}: older ones are removed as new ones
 * come, so a page open for days, or one flooded by a busy room, holds a bounded number of components. It counts its
 * messages itself: Vaadin's {@code getComponentCount()} and {@code getComponentAt(0)} walk every child, which made
 * each message cost as much as the whole column (the chat's main CPU cost under load, before).
 *
 * <p>The column sits in a {@link #scroller()} that scrolls inside the page and keeps its bottom, the newest message,
 * in view as messages come, with no script: a scroll container laid out in reverse starts at its end and stays there
 * (one who scrolled up to read stays where they are).
 */
final class MessageList extends VerticalLayout {

    static final int MAX_SHOWN = 500;

    private final ArrayDeque<Component> shown = new ArrayDeque<>();
    private final Div scroller = new Div();

    MessageList() {
        setPadding(false);
        setSpacing(false);
        addClassName("messages");
        getStyle().set("flex", "none");
        scroller.addClassName("message-scroller");
        scroller.getStyle().set("display", "flex").set("flex-direction", "column-reverse").set("overflow-y", "auto")
                .set("min-height", "0").set("width", "100%");
        scroller.add(this);
    }

    /** What to place in the page: the column inside its scrolling box. */
    Div scroller() {
        return scroller;
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
