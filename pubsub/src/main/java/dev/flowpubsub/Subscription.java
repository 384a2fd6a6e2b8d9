package dev.flowpubsub;

import com.vaadin.flow.shared.Registration;

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
    /**
     * False for a subscription taken with a snapshot until its {@link Activation} is handled: it skips live
     * messages queued before that point. Only read and written by the page's batch, under its session lock.
     */
    private boolean live;

    Subscription(UiEndpoint endpoint, String topic, Class<?> type, MessageHandler<Object> handler,
                 TopicMessageHandler<Object> topicHandler, boolean live) {
        this.endpoint = endpoint;
        this.topic = topic;
        this.type = type;
        this.handler = handler;
        this.topicHandler = topicHandler;
        this.live = live;
    }

    boolean isLive() {
        return live;
    }

    void goLive() {
        live = true;
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
