package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

/**
 * Where pages' drops and failing handlers are counted, logged (a page's first drop) and handed to the application's
 * {@link DeliveryErrorHandler}, which may throw without silencing anything.
 *
 * <p>Threading: any thread (a page's batch, the fan-out).
 */
final class DeliveryReports implements PageServices.Reports {

    private final Counters counters;
    private final DeliveryErrorHandler errorHandler;
    private final OverflowPolicy overflowPolicy;
    private final Outbound outbound;

    DeliveryReports(Counters counters, DeliveryErrorHandler errorHandler, OverflowPolicy overflowPolicy,
                    Outbound outbound) {
        this.counters = counters;
        this.errorHandler = errorHandler;
        this.overflowPolicy = overflowPolicy;
        this.outbound = outbound;
    }

    @Override
    public void dropped(int uiId, int capacity, boolean first) {
        counters.dropped.increment();
        if (first) {
            Page.LOG.warn("flow-pubsub: UI {} cannot keep up: its queue of {} pending messages is full, so messages "
                    + "are dropped ({}). Further drops for this page are only counted (PubSubHub.stats().dropped()).",
                    uiId, capacity, overflowPolicy);
        }
    }

    @Override
    public void handlerFailed(int uiId, @Nullable String topic, Class<?> messageType, Throwable failure) {
        counters.failed.increment();
        DeliveryError error = new DeliveryError(uiId, topic, messageType, failure);
        try {
            errorHandler.onError(error);
        } catch (Throwable handlerFailure) {
            Page.LOG.error("flow-pubsub: the DeliveryErrorHandler threw while reporting: " + error.describe(),
                    handlerFailure);
            if (Failures.isFatal(handlerFailure)) {
                throw handlerFailure;
            }
        }
    }

    @Override
    public boolean fromOtherNode(Envelope envelope) {
        return outbound.isRemote(envelope);
    }
}
