package dev.flowpubsub.collaboration;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * A message posted to a {@link PubSubMessageList}'s topic, as a {@link MessagePersister} stores it and reads it back.
 *
 * @param id     unique per message (a random UUID when posted from a {@link PubSubMessageInput}); a message a list
 *               read from its {@link MessagePersister} and then receives live shows once
 * @param topic  the topic it was posted on
 * @param author who posted it
 * @param text   what it says
 * @param time   when it was posted, by the clock of the server that posted it
 */
public record PostedMessage(String id, String topic, UserInfo author, String text, Instant time)
        implements Serializable {

    /** @throws NullPointerException for a missing part */
    public PostedMessage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(author, "author");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(time, "time");
    }
}
