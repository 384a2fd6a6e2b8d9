package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The application's {@link TopicAuthorizer} refused what a page asked for; thrown at the call, before anything
 * was subscribed, sent or joined.
 */
@NullMarked
public class PubSubAccessDeniedException extends RuntimeException {

    /** The page that asked. */
    private final int uiId;
    /** What it asked to do. */
    private final TopicAuthorizer.Action action;
    /** On which topic; {@code null} for broadcasts. */
    private final @Nullable String topic;

    /** A refusal of {@code action} on {@code topic} ({@code null} for broadcasts) to the page {@code uiId}. */
    public PubSubAccessDeniedException(int uiId, TopicAuthorizer.Action action, @Nullable String topic) {
        super("not allowed: UI " + uiId + " may not " + action.name().toLowerCase(java.util.Locale.ROOT)
                + (topic == null ? " broadcasts" : " on topic '" + topic + "'")
                + " (refused by the application's TopicAuthorizer)");
        this.uiId = uiId;
        this.action = action;
        this.topic = topic;
    }

    /** The page that asked. */
    public int uiId() {
        return uiId;
    }

    /** What it asked to do. */
    public TopicAuthorizer.Action action() {
        return action;
    }

    /** On which topic; {@code null} for broadcasts. */
    public @Nullable String topic() {
        return topic;
    }
}
