package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;

/**
 * Someone joined or left a topic; given to handlers subscribed with {@link PubSub#subscribePresence}.
 *
 * @param topic    the topic
 * @param kind     {@link Kind#PRESENT} (already there when the handler subscribed), {@link Kind#JOIN} or {@link Kind#LEAVE}
 * @param presence who joined or left
 */
@NullMarked
public record PresenceEvent(String topic, Kind kind, Presence presence) {

    /** What happened. */
    public enum Kind {
        /** Was present when the handler subscribed: the handler gets one of these for everyone, first. */
        PRESENT,
        /** Joined the topic. */
        JOIN,
        /** Left the topic: the page left, closed, or its node stopped answering. */
        LEAVE
    }
}
