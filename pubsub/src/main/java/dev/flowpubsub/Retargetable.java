package dev.flowpubsub;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.function.SerializableBiConsumer;
import com.vaadin.flow.shared.Registration;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;

import java.io.Serial;
import java.util.List;
import java.util.Objects;

/**
 * Subscriptions that follow a component and a target that changes while the component stays attached, such as the
 * room a route parameter names: from {@link ComponentPubSub#retargetable}. While the component is attached and a
 * target is set, everything the function took for that target is held: each subscription, presence join and
 * component-scoped binding the page took while it ran, through the {@link PubSub} it is given or any other.
 * {@link #retarget} removes all of it and runs the function for the new target; detaching removes it, and attaching
 * again runs the function for the target set then.
 *
 * <pre>{@code
 * @Route("rooms/:room")
 * public class RoomView extends VerticalLayout implements BeforeEnterObserver {
 *     private final Retargetable<String> room = PubSub.whileAttached(this).retargetable((pubsub, name) -> {
 *         messages.removeAll();
 *         pubsub.join("room:" + name, user);
 *         pubsub.subscribeTopicWithHistory("room:" + name, ChatMessage.class, this::show);
 *     });
 *
 *     public void beforeEnter(BeforeEnterEvent event) {
 *         room.retarget(event.getRouteParameters().get("room").orElseThrow());
 *     }
 * }
 * }</pre>
 *
 * <p>Vaadin keeps the view when only its route parameter changes (from {@code rooms/a} to {@code rooms/b}), so it
 * stays attached and {@code beforeEnter} is where the target changes; leaving for another view detaches it. Each
 * time the function runs, its subscriptions start afresh: a history subscription is handed the topic's history from
 * its start (a view clears what it showed in the function), a presence subscription everyone present, and joins are
 * new {@link Presence} entries (the old ones have left). Retargeting to the target already followed (by
 * {@code equals}) changes nothing.
 *
 * <h2>Threading</h2>
 * Call it from a UI thread (a constructor, {@code beforeEnter}, a listener) or inside {@code ui.access(...)}: the
 * function runs there, or at attach, with the page's session lock held. What it takes is checked as if the page took
 * it itself, so a refusal of the {@link TopicAuthorizer} (or a bad argument) is thrown from the {@link #retarget} (or
 * the attach) that ran it, and what the function took before the throw is removed again. Vaadin may serialize the
 * component with its session: read back, this does nothing, as {@link ComponentPubSub}'s subscriptions.
 *
 * @param <K> the target: a room's name, a document's id, a record of several
 */
@NullMarked
public final class Retargetable<K> implements Registration {

    @Serial
    private static final long serialVersionUID = 1L;

    private final AttachedSubscription binding;
    private transient @Nullable K target;

    Retargetable(Component component, SerializableBiConsumer<PubSub, ? super K> subscriptions) {
        this.binding = AttachedSubscription.bind(component, pubsub -> {
            K now = target;
            if (now == null) {
                return () -> { };
            }
            List<Registration> taken = TakenDuring.run(() -> subscriptions.accept(pubsub, now));
            return () -> TakenDuring.removeAll(taken);
        });
    }

    /**
     * Follows {@code newTarget} from now: if the component is attached, removes what the old target took and takes
     * it for the new one; detached, the next attach takes it. {@code null} takes nothing (the view is in no room).
     * The target already held changes nothing. After {@link #remove()}, does nothing.
     *
     * @throws IllegalStateException if the component is attached and the caller does not hold its session lock;
     *                               then nothing changed
     * @throws RuntimeException      what the function threw (such as a {@link TopicAuthorizer} refusal); then nothing
     *                               is held, and the next attach, or a retarget to the same target, runs the function
     *                               for it again
     */
    public void retarget(@Nullable K newTarget) {
        binding.checkLocked("retarget");
        if (Objects.equals(newTarget, target) && !binding.failedWhileAttached()) {
            return;
        }
        target = newTarget;
        binding.restart();
    }

    /** The target followed now; null before the first {@link #retarget}, or after {@code retarget(null)}. */
    public @Nullable K target() {
        return target;
    }

    /** Ends it for good: removes what is held now, and no later attach or retarget takes anything. */
    @Override
    public void remove() {
        binding.remove();
    }

    @Override
    public String toString() {
        return "Retargetable[" + target + "]";
    }
}
