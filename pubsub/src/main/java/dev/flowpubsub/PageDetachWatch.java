package dev.flowpubsub;

import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.DetachEvent;
import org.jspecify.annotations.Nullable;

import java.io.Serial;
import java.io.Serializable;

/**
 * A page's detach listener: the page closes when its UI detaches. It lives in the UI, which Vaadin may serialize with
 * its session (session persistence, replication); the hub's state of the page is not serialized with it. Read back,
 * the page has none of its subscriptions or presences any more, page-scoped or component-scoped (a view read back can
 * subscribe again), and one log line says how many ended.
 *
 * <p>Threading: Vaadin calls it with the page's session lock held.
 */
final class PageDetachWatch implements ComponentEventListener<DetachEvent> {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The page; {@code null} in a watch read back from a serialized session, which does nothing. */
    private final transient @Nullable Page page;

    PageDetachWatch(@Nullable Page page) {
        this.page = page;
    }

    @Override
    public void onComponentEvent(DetachEvent event) {
        if (page != null) {
            page.close();
        }
    }

    /** Serialized as what the page held then, so the live watch carries no field for it (one per page). */
    @Serial
    private Object writeReplace() {
        if (page == null) {
            return new Serialized(-1, 0, 0);
        }
        Page.Held held = page.held();
        return new Serialized(page.uiId(), held.subscriptions(), held.presences());
    }

    /** A watch as serialized: read back, it says what ended and becomes a watch that does nothing. */
    record Serialized(int uiId, int subscriptions, int presences) implements Serializable {

        @Serial
        private Object readResolve() {
            if (subscriptions + presences > 0) {
                Page.LOG.info("flow-pubsub: UI {} was read back from a serialized session: its {} page-scoped "
                        + "subscription(s) and {} presence(s) ended with it (the hub's state is not serialized)",
                        uiId, subscriptions, presences);
            }
            return new PageDetachWatch(null);
        }
    }
}
