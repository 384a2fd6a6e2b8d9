package dev.flowpubsub;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.shared.Registration;
import org.jspecify.annotations.Nullable;

import java.io.Serial;
import java.util.function.Function;

/**
 * A subscription (or presence) that follows a component: taken on the component's page each time the component
 * attaches, removed each time it detaches, so a view that is left and visited again holds one, never one per visit.
 * Its own {@link Registration}: {@code remove()} ends it for good.
 *
 * <p>Threading: everything runs under the session lock of the component's page: Vaadin fires attach and detach
 * events with it held, and {@link ComponentPubSub} is called, and {@link #remove()} must be, from a UI thread or
 * inside {@code ui.access(...)}. So the fields need nothing more.
 *
 * <p>Vaadin may serialize the component with its session. The listeners then keep this object, but what it holds
 * live is transient: read back, it does nothing (the hub's state, which is not serialized, ended its subscription),
 * as {@link Subscription} does.
 */
final class AttachedSubscription implements Registration {

    @Serial
    private static final long serialVersionUID = 1L;

    /** Takes the subscription on an attached page; {@code null} once read back from a serialized session. */
    private final transient @Nullable Function<PubSub, Registration> start;
    private transient @Nullable Registration current;
    /** The page {@link #current} was taken on. */
    private transient @Nullable UI currentPage;
    private final Component component;
    private final Registration onAttach;
    private final Registration onDetach;
    private boolean removed;

    private AttachedSubscription(Component component, Function<PubSub, Registration> start) {
        this.component = component;
        this.start = start;
        this.onAttach = component.addAttachListener(event -> start(event.getUI()));
        this.onDetach = component.addDetachListener(event -> stop());
    }

    /**
     * Binds {@code start} to the component: run now if the component is attached (failing here, at the caller's
     * call, if it cannot be taken), and at each later attach. The caller holds the session lock.
     */
    static AttachedSubscription bind(Component component, Function<PubSub, Registration> start) {
        AttachedSubscription binding = new AttachedSubscription(component, start);
        if (component.isAttached()) {
            UI ui = component.getUI().orElseThrow();
            try {
                binding.start(ui);
            } catch (Throwable refused) { // checked ones too, thrown undeclared
                binding.remove();
                throw refused;
            }
        }
        return TakenDuring.note(binding);
    }

    @SuppressWarnings("ReferenceEquality") // a page is one UI object
    private void start(UI ui) {
        if (removed || start == null || (current != null && currentPage == ui)) {
            // the second call for one attach: bound from the component's own onAttach, which runs before Vaadin
            // fires the attach event to the listener just added
            return;
        }
        stop();
        Function<PubSub, Registration> take = start;
        current = TakenDuring.unrecorded(() -> take.apply(PubSub.of(ui)));
        currentPage = ui;
    }

    /**
     * Fails, changing nothing, when the component is attached and this thread does not hold its session lock: what
     * {@link #restart} would do must not half happen. Any thread.
     */
    void checkLocked(String call) {
        component.getUI().ifPresent(ui -> {
            VaadinSession session = ui.getSession();
            if (session != null) {
                VaadinPageAccess.requireSessionLock(ui, session, call);
            }
        });
    }

    /** Whether the component is attached but holds nothing: its last start failed. Session lock held. */
    boolean failedWhileAttached() {
        return !removed && current == null && component.isAttached();
    }

    /**
     * Takes it again now if the component is attached (what {@code start} takes may have changed: see
     * {@link Retargetable}), after removing what it held; detached, the next attach takes it. A failure to take it is
     * thrown here, with nothing held. The caller holds the session lock.
     */
    void restart() {
        if (removed || start == null) {
            return;
        }
        stop();
        if (component.isAttached()) {
            start(component.getUI().orElseThrow());
        }
    }

    private void stop() {
        Registration taken = current;
        current = null;
        currentPage = null;
        if (taken != null) {
            taken.remove();
        }
    }

    /** Ends it: unsubscribes now if attached, and no later attach subscribes again. A second call does nothing. */
    @Override
    public void remove() {
        if (removed) {
            return;
        }
        removed = true;
        onAttach.remove();
        onDetach.remove();
        stop();
    }
}
