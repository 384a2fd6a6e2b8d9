package dev.flowpubsub.collaboration;

import java.io.Serializable;
import java.util.List;

/**
 * Keeps a {@link PubSubMessageList}'s messages in the application's own store, like Collaboration Kit's
 * {@code CollaborationMessagePersister}. With one, a list that opens a topic shows {@link #recent(String)} first,
 * then live messages; without one it shows the hub's history of the topic.
 *
 * <p>No gap and no repeat at the seam: an input stores a message ({@link #store}) before it sends it, and a list
 * subscribes before it reads {@link #recent}, so a message is in what was read, or arrives live, or both; a message
 * both read and arriving live (by its {@link PostedMessage#id()}) shows once.
 *
 * <p>Threading: both run on a page's thread with its session lock held (the input's submit, the list's attach or
 * {@code setTopic}), on the server where that page is; a slow store slows that page only. A message is stored once,
 * on the server it was posted on. What {@link #store} throws stops the send and is thrown from the submit.
 */
public interface MessagePersister extends Serializable {

    /** The messages a list opening {@code topic} shows first, oldest first; a few hundred at most. */
    List<PostedMessage> recent(String topic);

    /** Stores a message posted on its topic; called before it is sent to anyone. */
    void store(PostedMessage message);

    /**
     * Called when the hub refused to send a message just {@linkplain #store stored} (the user sent too fast, or may
     * not post on the topic): nobody received it, and the user was told it was not sent. Remove it if the store should
     * hold only what was sent. By default does nothing.
     */
    default void discard(PostedMessage message) {
    }
}
