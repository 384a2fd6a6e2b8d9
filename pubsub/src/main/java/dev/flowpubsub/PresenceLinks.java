package dev.flowpubsub;

import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * What pages' presence changes tell {@link Presences}: each runs in the fan-out task, after what is in the inbox now,
 * so presence changes and messages share one order.
 *
 * <p>Threading: any thread.
 */
final class PresenceLinks implements PageServices.PresenceLink {

    private final Presences presences;
    /** Runs an action in the fan-out task. */
    private final Consumer<Runnable> control;
    private final BooleanSupplier closing;
    private final BooleanSupplier closed;

    PresenceLinks(Presences presences, Consumer<Runnable> control, BooleanSupplier closing, BooleanSupplier closed) {
        this.presences = presences;
        this.control = control;
        this.closing = closing;
        this.closed = closed;
    }

    /** An entry that no page holds (a browser session's, owning shared-signal entries) joins. */
    void join(Presences.Member member) {
        if (!closing.getAsBoolean()) {
            control.accept(() -> presences.localJoin(member));
        }
    }

    @Override
    public void leave(Presences.Member member) {
        if (!closed.getAsBoolean()) {
            control.accept(() -> presences.localLeave(member));
        }
    }

    /** Only if the page still holds it then: it may have left meanwhile, or lost its connection again. */
    @Override
    public void rejoin(Page page, PresenceJoin join) {
        if (!closing.getAsBoolean()) {
            control.accept(() -> {
                if (page.announces(join)) {
                    presences.localJoin(join.member());
                }
            });
        }
    }

    /** Only if it is still away then: a return that came first must not be undone by a leave queued before it. */
    @Override
    public void leaveWhileAway(Page page, PresenceJoin join) {
        if (!closed.getAsBoolean()) {
            control.accept(() -> {
                if (page.isAway()) {
                    presences.localLeave(join.member());
                }
            });
        }
    }
}
