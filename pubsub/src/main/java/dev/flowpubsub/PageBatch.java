package dev.flowpubsub;

import java.util.ArrayDeque;
import java.util.List;

/**
 * One batch of a page: what was pending when its turn came, handed to its handlers in order, each message to the
 * page's live subscriptions for it and each {@link Activation} to the subscription it starts; measuring, when anyone
 * listens, how late the batch's oldest local and remote messages were. A handler that throws is reported and the
 * batch goes on; a fatal error ends it.
 *
 * <p>Threading: the page's session lock is held; one batch of a page at a time.
 */
final class PageBatch {

    private final Page page;
    private final PageSubscriptions subscriptions;
    private final PageServices services;

    PageBatch(Page page, PageSubscriptions subscriptions, PageServices services) {
        this.page = page;
        this.subscriptions = subscriptions;
        this.services = services;
    }

    void run(ArrayDeque<PageItem> batch) {
        services.counters().batches.increment();
        Latencies latencies = services.latencies();
        boolean timed = latencies.active();
        long oldestLocal = Latencies.NOT_SEEN;
        long oldestRemote = Latencies.NOT_SEEN;
        for (PageItem item : batch) {
            switch (item) {
                case Envelope envelope -> {
                    if (deliver(envelope) && timed) {
                        if (services.reports().fromOtherNode(envelope)) {
                            oldestRemote = Math.min(oldestRemote, envelope.sentNanos());
                        } else {
                            oldestLocal = Math.min(oldestLocal, envelope.sentNanos());
                        }
                    }
                }
                case Activation activation -> activate(activation);
            }
        }
        if (timed) {
            latencies.batchDelivered(oldestLocal, oldestRemote);
        }
    }

    /** Hands a message to the page's live subscriptions for it; whether any handler took it. */
    private boolean deliver(Envelope envelope) {
        boolean handled = false;
        for (Subscription subscription : subscriptions.of(envelope)) {
            if (subscription.isLive()) {
                handled |= invoke(subscription, envelope);
            }
        }
        if (handled) {
            services.counters().delivered.increment();
        }
        return handled;
    }

    /** Hands a new subscription its snapshot, then lets it take live messages from here on. */
    private void activate(Activation activation) {
        Subscription subscription = activation.subscription();
        if (activation.restarted() && subscription.isActive()) {
            try {
                subscription.restarted();
            } catch (Throwable failure) {
                List<Envelope> replay = activation.snapshot();
                services.reports().handlerFailed(page.uiId(), subscription.topic,
                        replay.isEmpty() ? Void.class : replay.getFirst().message().getClass(), failure);
                if (Failures.isFatal(failure)) {
                    throw failure;
                }
            }
        }
        for (Envelope envelope : activation.snapshot()) {
            if (invoke(subscription, envelope)) {
                services.counters().delivered.increment();
            }
        }
        subscription.goLive();
    }

    private boolean invoke(Subscription subscription, Envelope envelope) {
        if (!subscription.isActive()) {
            return false;
        }
        subscription.passed(envelope);
        if (!subscription.accepts(envelope.message())) {
            return false;
        }
        try {
            subscription.invoke(envelope.topic(), envelope.message());
        } catch (Throwable failure) {
            services.reports().handlerFailed(page.uiId(), envelope.topic(), envelope.message().getClass(), failure);
            if (Failures.isFatal(failure)) {
                throw failure;
            }
        }
        return true;
    }
}
