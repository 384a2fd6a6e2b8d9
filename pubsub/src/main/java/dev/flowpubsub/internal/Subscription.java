package dev.flowpubsub.internal;

import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.MessageHandler;
import dev.flowpubsub.TopicMessageHandler;

/**
 * One subscribed handler of one page. It is its own {@link Registration}: {@code remove()} unsubscribes
 * it, and a second call does nothing.
 */
final class Subscription implements Registration {

    final UiEndpoint endpoint;
    /** {@code null} for a broadcast subscription. */
    final String topic;
    private final Class<?> type;
    private final MessageHandler<Object> handler;
    private final TopicMessageHandler<Object> topicHandler;
    /** Cleared (under the endpoint's monitor) when unsubscribed; read without it before each call. */
    private volatile boolean active = true;

    Subscription(UiEndpoint endpoint, String topic, Class<?> type, MessageHandler<Object> handler,
                 TopicMessageHandler<Object> topicHandler) {
        this.endpoint = endpoint;
        this.topic = topic;
        this.type = type;
        this.handler = handler;
        this.topicHandler = topicHandler;
    }

    boolean isActive() {
        return active;
    }

    void deactivate() {
        active = false;
    }

    boolean accepts(Object message) {
        return type == null || type.isInstance(message);
    }

    void invoke(String envelopeTopic, Object message) {
        if (handler != null) {
            handler.onMessage(message);
        } else {
            topicHandler.onMessage(envelopeTopic, message);
        }
    }

    @Override
    public void remove() {
        endpoint.remove(this);
    }
}
