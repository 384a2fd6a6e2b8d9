package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;

/**
 * A send the hub refused, at the call, before anything was delivered: the page's browser session sent more than
 * its budget allows, or the hub's inbox is full. A view can catch it to tell the user to slow down:
 *
 * <pre>{@code
 * try {
 *     pubsub.sendAll(message);
 * } catch (PubSubSendRefusedException refused) {
 *     Notification.show("You are sending too fast; try again in a moment");
 * }
 * }</pre>
 *
 * <p>Refusals are counted in {@link PubSubStats#refused()}.
 */
@NullMarked
public class PubSubSendRefusedException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Why a send was refused. */
    public enum Reason {
        /** The page's browser session used up its send budget ({@link PubSubHubBuilder#sendBudget}). */
        SEND_BUDGET,
        /** The hub's inbox was full ({@link PubSubHubBuilder#inboxCapacity}): it cannot take messages this fast. */
        INBOX_FULL
    }

    /** Why the send was refused. */
    private final Reason reason;

    /** A refusal for {@code reason}; {@code message} says what to do about it. */
    public PubSubSendRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why the send was refused. */
    public Reason reason() {
        return reason;
    }
}
