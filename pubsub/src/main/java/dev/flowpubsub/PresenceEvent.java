package dev.flowpubsub;

/**
 * Someone joined or left a topic; given to handlers subscribed with {@link PubSub#subscribePresence}.
 *
 * @param topic    the topic
 * @param kind     {@link Kind#JOIN} or {@link Kind#LEAVE}
 * @param presence who joined or left
 */
public record PresenceEvent(String topic, Kind kind, Presence presence) {

    /** What happened. */
    public enum Kind {
        /** Joined the topic (or was present when the handler subscribed). */
        JOIN,
        /** Left the topic: the page left, closed, or its node stopped answering. */
        LEAVE
    }
}
