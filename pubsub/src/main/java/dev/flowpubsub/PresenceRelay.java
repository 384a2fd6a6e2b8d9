package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * This node's presence with the other nodes: gathers its joins and leaves for {@link Presences#WINDOW} before they are
 * told (or tells them at once, for {@code awaitIdle}), beats the heartbeat, and hands the other nodes' protocol messages
 * and the engine's news of a node gone to {@link Presences}, in the fan-out task.
 *
 * <p>Threading: any thread; what touches {@link Presences} runs through {@code control}, in the fan-out task.
 */
final class PresenceRelay implements Consumer<Runnable> {

    private final HubTimer timer;
    private final Consumer<Runnable> control;
    private final long heartbeatNanos;
    /** What tells the changes of the window now open, if one is. */
    private final AtomicReference<@Nullable Runnable> untold = new AtomicReference<>();
    @SuppressWarnings("NullAway.Init") // set by serve, right after construction, before anything is relayed
    private Presences presences;

    PresenceRelay(HubTimer timer, Consumer<Runnable> control, long heartbeatNanos) {
        this.timer = timer;
        this.control = control;
        this.heartbeatNanos = heartbeatNanos;
    }

    /** The presences this relay serves; once, before anything is relayed. */
    void serve(Presences served) {
        this.presences = served;
    }

    /** A window opens: {@code tell} runs at its end, in the fan-out task (what {@link Presences} is given). */
    @Override
    public void accept(Runnable tell) {
        untold.set(tell);
        timer.schedule(this::tellNow, Presences.WINDOW.toNanos());
    }

    /** Ends the open window now: its changes are told. Whether one was open. */
    boolean tellNow() {
        Runnable tell = untold.getAndSet(null);
        if (tell == null) {
            return false;
        }
        control.accept(tell);
        return true;
    }

    /** The outbound path has started: asks the other nodes for their entries, and starts beating. */
    void started() {
        control.accept(presences::joinCluster);
        timer.repeat(() -> control.accept(() -> presences.heartbeat(System.nanoTime(), 3 * heartbeatNanos)),
                heartbeatNanos);
    }

    /** A protocol message of another node: in the fan-out task, between the messages before and after it. */
    void onRemote(Envelope envelope) {
        if (Presences.PROTOCOL_TOPIC.equals(envelope.topic()) && envelope.origin() != null) {
            presences.onRemote(envelope.origin(), envelope.message(), System.nanoTime(), heartbeatNanos);
        }
    }

    /** The engine says node {@code node} is gone. Alone (no heartbeat), there is no one to forget. */
    void nodeGone(String node) {
        if (heartbeatNanos > 0) {
            control.accept(() -> presences.nodeGone(node));
        }
    }

    /** The engine dropped entries this node had not read: asks every node for who is present, as when starting. */
    void askEveryone() {
        if (heartbeatNanos > 0) {
            control.accept(presences::joinCluster);
        }
    }
}
