package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;

/**
 * Receives a message sent with {@code sendAll} or {@code sendOthers}, or, when given to
 * {@code subscribeTopic}, a message sent on that topic.
 *
 * <p>Runs inside {@code ui.access(...)} of the page that subscribed: the session lock of that page is
 * held, {@code UI.getCurrent()} is that page, and any change made to its components reaches the browser
 * by server push. It never runs on the sender's thread. A handler that throws is reported to the hub's
 * {@link DeliveryErrorHandler}; delivery to every other handler and page goes on.
 *
 * <pre>{@code
 * PubSub.of(ui).subscribe(String.class, text -> messages.add(new Paragraph(text)));
 * }</pre>
 *
 * @param <T> the type of message this handler accepts
 */
@NullMarked
@FunctionalInterface
public interface MessageHandler<T> {

    /**
     * Handles one message.
     *
     * @param message the message as it was sent, never {@code null}
     */
    void onMessage(T message);
}
