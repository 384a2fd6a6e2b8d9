package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Objects;

/**
 * Where a component's history subscription got to in its topic, so that, attached again, it resumes after the last
 * message it was handed instead of from the start of the history. It outlives the subscriptions it follows: one per
 * {@code subscribeTopicWithHistory} of a {@link ComponentPubSub}, a new subscription at each attach.
 *
 * <p>Threading: {@link #passed} runs in the page's batch and {@link #position} where the page subscribes: both under
 * the page's session lock, so the fields need nothing more. The fan-out task gets only the immutable
 * {@link Position}.
 */
final class HistoryCursor {

    /** A message of the topic, by its identity across nodes: the node that sent it and its number there. */
    record Position(@Nullable String origin, long sequence) {

        boolean is(Envelope envelope) {
            return envelope.originSequence() == sequence && Objects.equals(envelope.origin(), origin);
        }
    }

    /** Where an attach resumes: the messages to hand first, and whether they start over (what followed was lost). */
    record Resumption(List<Envelope> snapshot, boolean restarted) {
    }

    private final @Nullable Runnable onRestart;
    private @Nullable Position last;

    HistoryCursor(@Nullable Runnable onRestart) {
        this.onRestart = onRestart;
    }

    /** The subscription was handed this message (whether its type matched or not). Page batch, session lock held. */
    void passed(Envelope envelope) {
        last = new Position(envelope.origin(), envelope.originSequence());
    }

    /** The last message passed, or {@code null} before the first. Session lock held. */
    @Nullable Position position() {
        return last;
    }

    /** Tells the component its history starts over; inside the page's access. */
    void restarted() {
        if (onRestart != null) {
            onRestart.run();
        }
    }

    /**
     * What a subscription that last saw {@code after} is handed from the topic's history {@code snapshot}: what
     * follows that message if the history still holds it; everything, marked restarted, if the history has moved past
     * it; nothing more than the history before a first message ({@code after == null}).
     */
    static Resumption resume(List<Envelope> snapshot, @Nullable Position after) {
        if (after == null || snapshot.isEmpty()) {
            return new Resumption(snapshot, false);
        }
        for (int i = snapshot.size() - 1; i >= 0; i--) {
            if (after.is(snapshot.get(i))) {
                return new Resumption(snapshot.subList(i + 1, snapshot.size()), false);
            }
        }
        return new Resumption(snapshot, true);
    }
}
