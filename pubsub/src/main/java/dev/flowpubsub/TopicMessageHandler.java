package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;

/**
 * Receives a message sent on a topic, together with the topic's name: Flet's
 * {@code handler(topic, message)}.
 *
 * <p>Runs inside {@code ui.access(...)} of the page that subscribed, like {@link MessageHandler}.
 *
 * <pre>{@code
 * PubSub.of(ui).subscribeTopic("room-1", (topic, message) -> log.add(new Span(topic + ": " + message)));
 * }</pre>
 *
 * @param <T> the type of message this handler accepts
 */
@NullMarked
@FunctionalInterface
public interface TopicMessageHandler<T> {

    /**
     * Handles one message sent on a topic.
     *
     * @param topic   the topic the message was sent on, never {@code null}
     * @param message the message as it was sent, never {@code null}
     */
    void onMessage(String topic, T message);
}
