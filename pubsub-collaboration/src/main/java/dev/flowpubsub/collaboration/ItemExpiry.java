package dev.flowpubsub.collaboration;

import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubSignalRefusedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Clears an item's shared values once its last editor has been gone for the expiration delay, on every server alike.
 *
 * <p>Every page that opens or leaves an item writes a fresh token under {@link #KEY} in the item's map. A page that
 * leaves then checks, after the delay, that nobody is present on the item's topic (on any server) and clears the map
 * in one transaction that holds only if the token is still the one it wrote: an editor who opened or left the item
 * since (on this server or another) wrote a newer one, and the older check clears nothing. So an item is cleared a
 * full delay after its last editor left, never earlier, and never under an editor who opened it meanwhile.
 *
 * <p>Threading: {@link #token} and {@link #leave} run on a page's thread with its session lock held; the check runs
 * on a JDK scheduler thread and touches only the hub's presence and the shared map, which are thread-safe. It holds
 * the topic, the hub, the map and the token: nothing of the page.
 */
final class ItemExpiry {

    /** The key of the item's token; field keys are property names or component ids, which never start with '#'. */
    static final String KEY = "#expiry";

    /** The longest delay: longer ones (a Duration of years) wait this long. */
    private static final Duration LONGEST = Duration.ofDays(1);

    private static final Logger LOG = LoggerFactory.getLogger(ItemExpiry.class);

    private ItemExpiry() {
    }

    /** A fresh token, to write when a page opens or leaves the item. */
    static String token() {
        return UUID.randomUUID().toString();
    }

    /**
     * A page leaves the item: writes a fresh token and checks after {@code delay}; a zero delay never expires (the
     * item's values stay until cleared).
     */
    static void leave(PubSubHub hub, String topic, SharedMapSignal<String> values, Duration delay) {
        if (delay.isZero()) {
            return;
        }
        String token = token();
        try {
            values.put(KEY, token);
        } catch (PubSubSignalRefusedException refused) {
            LOG.debug("No expiry for {}: its token was refused ({})", topic, refused.getMessage());
            return;
        }
        long millis = delay.compareTo(LONGEST) > 0 ? LONGEST.toMillis() : delay.toMillis();
        CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS).execute(() -> check(hub, topic, values, token));
    }

    private static void check(PubSubHub hub, String topic, SharedMapSignal<String> values, String token) {
        if (hub.isClosed() || !hub.presence(topic).isEmpty()) {
            return;
        }
        try {
            Signal.runInTransaction(() -> {
                SharedValueSignal<String> last = values.get().get(KEY);
                if (last != null) {
                    last.verifyValue(token);
                    values.clear();
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("Could not clear the shared values of {}, whose last editor left: {}", topic, e.toString());
        }
    }
}
