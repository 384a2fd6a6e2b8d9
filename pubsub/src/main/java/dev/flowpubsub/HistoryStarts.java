package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Where history subscriptions start: with the topic's history as this node keeps it, or, when the engine keeps what
 * this node lacks (the part sent before it started, or a topic's history the hub let go), after the one read of it
 * that the topic's first subscribers wait for together. A subscription of a component attached again starts after
 * what it last saw (see {@link HistoryCursor}).
 *
 * <p>Threading: the fan-out task, which owns the histories; the read's answer comes back as a control item.
 */
final class HistoryStarts {

    private final TopicHistories histories;
    private final Outbound outbound;
    private final Executor decoder;
    /** Runs an action in the fan-out task, after what is in the inbox now. */
    private final Consumer<Runnable> control;
    private final long hub;

    HistoryStarts(TopicHistories histories, Outbound outbound, Executor decoder, Consumer<Runnable> control, long hub) {
        this.histories = histories;
        this.outbound = outbound;
        this.decoder = decoder;
        this.control = control;
        this.hub = hub;
    }

    /**
     * Activates the subscription with the topic's history, or, if the engine's part of it has not been read yet,
     * makes it wait for the one read of that topic, starting it if none is under way. Fan-out task.
     */
    void start(String topic, Subscription subscription, HistoryCursor.@Nullable Position after) {
        int size = histories.size(topic);
        if (size <= 0 || !outbound.keepsHistory() || !histories.needsRead(topic)) {
            activate(topic, subscription, histories.of(topic), after);
            return;
        }
        if (histories.awaitRead(topic, new TopicHistories.Waiting(subscription, after))) {
            // however the read ends (decoding can fail too), the waiting subscriptions start: with what this node
            // has when the read failed
            var unused = outbound.history(topic, size, decoder)
                    .whenComplete((older, failure) -> control.accept(() -> finish(topic, failure == null ? older : null)));
        }
    }

    /**
     * The engine answered (or did not, {@code older == null}): completes the topic's history and activates every
     * subscription that waited for it. Messages that arrived meanwhile are in the history, so none is missed, up to
     * the history's size. Fan-out task.
     */
    private void finish(String topic, @Nullable List<Envelope> older) {
        List<TopicHistories.Waiting> waiting = histories.readDone(topic, older);
        List<Envelope> history = histories.of(topic);
        for (TopicHistories.Waiting each : waiting) {
            activate(topic, each.subscription(), history, each.after());
        }
    }

    /** Activates a subscription from after the message it last saw ({@code null}: from the start). */
    private void activate(String topic, Subscription subscription, List<Envelope> history,
                          HistoryCursor.@Nullable Position after) {
        if (subscription.isActive()) {
            Set<PageIds.PageId> pages = after == null ? Set.of() : after.pages();
            HistoryCursor.Resumption resumption = HistoryCursor.resume(history, after, hub,
                    histories.lastDropped(topic), kept -> histories.sentToOthersBy(kept, pages));
            subscription.page().enqueue(new Activation(subscription, resumption.snapshot(), resumption.restarted()));
        }
    }
}
