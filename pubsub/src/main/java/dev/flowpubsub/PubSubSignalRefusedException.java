package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;

/**
 * A write to a {@linkplain ClusterSignals shared signal} that will never be applied, refused at the call that made
 * it: not authorized ({@link TopicAuthorizer.Action#WRITE_SIGNAL}), over the session's send budget, too large, too
 * many writes waiting for the engine, the engine unreachable, or the hub closed. Nothing of it is applied anywhere; it
 * has left the writer's view, and its operation's result completes with Vaadin's {@code SignalOperation.Error}
 * carrying the same reason.
 */
@NullMarked
public final class PubSubSignalRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A refusal; {@code reason} says why, starting with {@code refused:}. */
    public PubSubSignalRefusedException(String reason) {
        super(reason);
    }
}
