package dev.flowpubsub.chat;

import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.textfield.TextField;

/** What one person may type, and what the chat tells someone who sends faster than the hub allows. */
final class Limits {

    static final int MAX_NAME = 40;
    static final int MAX_MESSAGE = 500;
    static final int MAX_TITLE = 80;
    static final int MAX_CARD = 200;

    private Limits() {
    }

    /** Sets the field's limit in the browser; {@link #cut} enforces it on the server, where a crafted request ends up. */
    static TextField limited(TextField field, int maxLength) {
        field.setMaxLength(maxLength);
        return field;
    }

    /** The text, at most {@code maxLength} characters. */
    static String cut(String text, int maxLength) {
        return text.length() <= maxLength ? text : text.substring(0, maxLength);
    }

    /**
     * The notice a view shows when a send was refused (PubSubSendRefusedException): the message stays in its
     * field. One per view, opened again rather than added again, so a page that sends in a loop (a script sending
     * thousands of clicks in one request) adds no component per refusal.
     */
    static Notification tooFastNotice() {
        Notification notice = new Notification("You are sending faster than the chat allows: wait a moment, then "
                + "send again.", 3000, Notification.Position.MIDDLE);
        notice.addClassName("too-fast");
        return notice;
    }

    /** Shows the view's notice, unless it is showing already. */
    static void show(Notification notice) {
        if (!notice.isOpened()) {
            notice.open();
        }
    }
}
