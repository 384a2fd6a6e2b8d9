package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * A handler threw while handling a message; passed to the hub's {@link DeliveryErrorHandler}.
 *
 * @param uiId        the id of the UI (page) whose handler threw
 * @param topic       the topic the message was sent on, or {@code null} for a broadcast ({@code sendAll}/{@code sendOthers})
 * @param messageType the class of the message; for a history subscription's {@code fromStart} callback, the class of
 *                    the first message it is about to replay, or {@code Void} when there is none
 * @param cause       what the handler threw
 */
@NullMarked
public record DeliveryError(int uiId, @Nullable String topic, Class<?> messageType, Throwable cause) {

    /** A one-line description naming the page, the topic and the message type. */
    public String describe() {
        return "handler of UI " + uiId + " failed on "
                + (topic == null ? "a broadcast message" : "topic '" + topic + "'")
                + " of type " + messageType.getName() + ": " + cause;
    }
}
