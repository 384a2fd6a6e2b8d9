package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

/**
 * The application's rule for who may do what on which topic: asked before a page subscribes to a topic, lists who
 * is present on it, sends on it or joins it, on the node where the page is. A refusal throws {@link PubSubAccessDeniedException} at the
 * call. Code sending through {@link PubSubHub} directly (a service, no page) is trusted and not asked.
 *
 * <pre>{@code
 * PubSubHub.builder().authorizer((ui, action, topic) ->
 *         topic == null || !topic.startsWith("admin:") || isAdmin(ui.getSession()))
 * }</pre>
 *
 * <p>Called on the thread of the call. That is usually the page's UI thread with its session lock held, but a page
 * may also send from a thread of its own, where {@code VaadinSession.getCurrent()} and thread-bound security
 * contexts are empty: find the user through the page ({@code ui.getSession()}), as above, not through the thread.
 */
@NullMarked
@FunctionalInterface
public interface TopicAuthorizer {

    /** What a page wants to do. */
    enum Action {
        /** {@code subscribe*}, {@code subscribeTopicWithHistory}, {@code subscribePresence}, {@code presence}. */
        SUBSCRIBE,
        /** {@code sendAll*}, {@code sendOthers*}. */
        SEND,
        /** {@code join}. */
        JOIN,
        /** Making a {@link ClusterSignals shared signal} of the name (the topic is the signal's name). */
        READ_SIGNAL,
        /** Writing to a shared signal of the name (the topic is the signal's name). */
        WRITE_SIGNAL
    }

    /**
     * Whether the page may do what it asks, on that topic.
     *
     * @param ui     the page
     * @param action what it wants to do
     * @param topic  the topic, or {@code null} for broadcasts ({@code subscribe}, {@code sendAll}, {@code sendOthers})
     * @return whether to allow it
     */
    boolean allows(UI ui, Action action, @Nullable String topic);

    /** Allows everything: the default. */
    static TopicAuthorizer allowAll() {
        return (ui, action, topic) -> true;
    }
}
