package dev.flowpubsub.testing;

import java.util.List;

/**
 * What one page received on one topic, in the order it received it ({@link ClusterPage#record}). Filled as the page's
 * deliveries run, in {@link PubSubCluster#deliverPending()}.
 *
 * <p>Thread-safe.
 *
 * @param <T> the type of the messages
 */
public final class Received<T> {

    private final String what;
    private final List<T> messages;

    Received(String what, List<T> messages) {
        this.what = what;
        this.messages = messages;
    }

    /** The messages received so far, oldest first: a copy. */
    public List<T> messages() {
        return List.copyOf(messages);
    }

    /** How many messages were received so far. */
    public int count() {
        return messages.size();
    }

    @Override
    public String toString() {
        return what + ": " + messages;
    }
}
