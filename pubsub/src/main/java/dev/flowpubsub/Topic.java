package dev.flowpubsub;

import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import java.io.Serial;
import java.io.Serializable;

/**
 * A topic's name with the type of its messages, kept in a constant and shared by the pages that send and receive
 * on it, as Vaadin's signals carry their value's type. Handlers subscribed with it are typed without a
 * {@code Class} argument, and sending a message of another type fails at the send.
 *
 * <pre>{@code
 * public static final Topic<ChatMessage> CHAT = Topic.of("chat", ChatMessage.class);
 *
 * PubSub.whileAttached(this).subscribeTopic(CHAT, message -> messages.add(render(message)));
 * send.addClickListener(e -> PubSub.current().sendAllOnTopic(CHAT, new ChatMessage(user, text.getValue())));
 * }</pre>
 *
 * <p>Two topics are equal when their names and types are; pages that use the same name with different types see
 * each other's messages of the type they subscribed for only, as with {@link PubSub#subscribeTopic(String, Class,
 * MessageHandler)}. Immutable, so any thread.
 *
 * @param <T> the type of the messages sent on the topic
 */
@NullMarked
public final class Topic<T> implements Serializable {

    @Serial
    private static final long serialVersionUID = 1L;

    private final String name;
    private final Class<T> type;

    private Topic(String name, Class<T> type) {
        this.name = name;
        this.type = type;
    }

    /**
     * A topic named {@code name} whose messages are instances of {@code type}.
     *
     * @throws IllegalArgumentException if {@code name} is blank, or {@code type} is a primitive type
     * @throws NullPointerException     if either is {@code null}
     */
    public static <T> Topic<T> of(String name, Class<T> type) {
        return new Topic<>(Arguments.topic(name), Arguments.type(type));
    }

    /** The topic's name, as the {@code String} verbs of {@link PubSub} and {@link PubSubHub} take it. */
    public String name() {
        return name;
    }

    /** The type of its messages. */
    public Class<T> type() {
        return type;
    }

    /** Checks a message sent on this topic at the send, for callers that got past the compiler (raw types, casts). */
    T check(T message) {
        Arguments.message(message);
        if (!type.isInstance(message)) {
            throw new IllegalArgumentException("a message of type " + message.getClass().getName()
                    + " cannot be sent on topic '" + name + "', whose messages are " + type.getName());
        }
        return message;
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other instanceof Topic<?> topic && topic.name.equals(name) && topic.type.equals(type);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + type.hashCode();
    }

    @Override
    public String toString() {
        return "Topic[" + name + ", " + type.getSimpleName() + "]";
    }
}
