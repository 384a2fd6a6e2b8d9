package dev.flowpubsub;

import com.vaadin.flow.shared.Registration;
import org.jspecify.annotations.Nullable;

/**
 * One subscribed handler of one page. It is its own {@link Registration}: {@code remove()} unsubscribes
 * it, and a second call does nothing.
 *
 * <p>A view may keep it in a field, and Vaadin may serialize the view with its session: everything live here is
 * transient, so the session serializes, and after it is read back {@code remove()} does nothing (the subscription
 * ended with the hub's state, which is not serialized; see {@link PageDetachWatch}).
 */
final class Subscription implements Registration {

    private static final long serialVersionUID = 1L;

    final transient @Nullable Page page;
    /** {@code null} for a broadcast subscription. */
    final transient @Nullable String topic;
    private final transient @Nullable Class<?> type;
    /** The handler as subscribed, one-argument ones adapted at the API (see {@code PubSub}). */
    private final transient TopicMessageHandler<Object> handler;
    /** Cleared (under the page's monitor) when unsubscribed; read without it before each call. */
    private transient volatile boolean active = true;
    /**
     * False for a subscription taken with a snapshot until its {@link Activation} is handled: it skips live
     * messages queued before that point. Only read and written by the page's batch, under its session lock.
     */
    private transient boolean live;
    /** For a component's history subscription, where it got to in its topic; {@code null} otherwise. */
    private final transient @Nullable HistoryCursor cursor;

    Subscription(@Nullable Page page, @Nullable String topic, @Nullable Class<?> type, TopicMessageHandler<Object> handler,
            boolean live, @Nullable HistoryCursor cursor) {
        this.page = page;
        this.topic = topic;
        this.type = type;
        this.handler = handler;
        this.live = live;
        this.cursor = cursor;
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

    /** Calls the handler; a broadcast's handlers ignore the topic, which a broadcast has none of. */
    void invoke(@Nullable String envelopeTopic, Object message) {
        handler.onMessage(envelopeTopic == null ? "" : envelopeTopic, message);
    }

    /** The page it was taken on; there is one while it is live (it has none once read back from a session). */
    Page page() {
        Page live = page;
        if (live == null) {
            throw new IllegalStateException("this subscription ended when its session was serialized");
        }
        return live;
    }

    /** The page's batch hands this subscription a message (it may skip it for its type). Session lock held. */
    void passed(Envelope envelope) {
        if (cursor != null) {
            cursor.passed(envelope);
        }
    }

    /** Tells a component's history subscription its history starts over. Session lock held. */
    void restarted() {
        if (cursor != null) {
            cursor.restarted();
        }
    }

    @Override
    public void remove() {
        if (page != null) { // null once read back from a serialized session: it ended with the hub's state
            page.remove(this);
        }
    }
}
