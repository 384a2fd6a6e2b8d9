package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;

/**
 * Told about every handler that throws. The default logs the error with the UI id, the topic and the
 * message type; set another with {@link PubSubHubBuilder#errorHandler(DeliveryErrorHandler)}.
 *
 * <p>Called inside the {@code ui.access(...)} of the page whose handler threw, right after the failure,
 * before the next handler runs. It must not throw; if it does, that is logged and delivery goes on.
 */
@NullMarked
@FunctionalInterface
public interface DeliveryErrorHandler {

    /**
     * Reports one failed handler.
     *
     * @param error what failed, where, and why
     */
    void onError(DeliveryError error);
}
