package dev.flowpubsub;

import com.vaadin.flow.component.UI;

import java.util.Collection;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;

/**
 * Which pages hold subscriptions, and which of them are subscribed to broadcasts or to each topic: what the fan-out
 * looks up for every message. A page is indexed under a topic while it holds at least one subscription to it.
 *
 * <p>The sets of pages are kept in the order the pages' endpoints were made ({@link UiEndpoint#order}), not in hash
 * order: a fan-out then visits pages roughly in the order their objects sit in memory. At 100,000 pages, whose
 * Vaadin state far exceeds the CPU's caches, visiting them in hash order made one message's fan-out 1.3x to 1.6x
 * slower (BENCHMARKS.md, fan-out).
 *
 * <p>Threading: any thread; concurrent maps and sets. Pages change their own entries under their own monitor (see
 * {@link UiEndpoint}); the fan-out reads them without a lock.
 */
final class SubscriptionIndex {

    private final ConcurrentHashMap<UI, UiEndpoint> pages = new ConcurrentHashMap<>();
    private final Set<UiEndpoint> broadcast = inOrder();
    private final ConcurrentHashMap<String, Set<UiEndpoint>> byTopic = new ConcurrentHashMap<>();

    private static Set<UiEndpoint> inOrder() {
        return new ConcurrentSkipListSet<>(Comparator.comparingLong(endpoint -> endpoint.order));
    }

    /** The page's endpoint, or {@code null} if it holds nothing. */
    UiEndpoint get(UI ui) {
        return pages.get(ui);
    }

    /**
     * The page's endpoint, made with {@code create} (and then {@code started}) if it has none.
     */
    UiEndpoint getOrCreate(UI ui, Function<UI, UiEndpoint> create, java.util.function.Consumer<UiEndpoint> started) {
        UiEndpoint endpoint = pages.get(ui);
        if (endpoint == null) {
            UiEndpoint created = create.apply(ui);
            endpoint = pages.putIfAbsent(ui, created);
            if (endpoint == null) {
                endpoint = created;
                started.accept(created);
            }
        }
        return endpoint;
    }

    /** Forgets a page whose last subscription ended or whose UI detached (unless a newer endpoint replaced it). */
    void forget(UiEndpoint endpoint) {
        pages.remove(endpoint.ui, endpoint);
    }

    Collection<UiEndpoint> pages() {
        return pages.values();
    }

    int pageCount() {
        return pages.size();
    }

    int topicCount() {
        return byTopic.size();
    }

    void indexBroadcast(UiEndpoint endpoint) {
        broadcast.add(endpoint);
    }

    void unindexBroadcast(UiEndpoint endpoint) {
        broadcast.remove(endpoint);
    }

    void indexTopic(String topic, UiEndpoint endpoint) {
        byTopic.compute(topic, (key, set) -> {
            Set<UiEndpoint> result = set == null ? inOrder() : set;
            result.add(endpoint);
            return result;
        });
    }

    void unindexTopic(String topic, UiEndpoint endpoint) {
        byTopic.computeIfPresent(topic, (key, set) -> {
            set.remove(endpoint);
            return set.isEmpty() ? null : set;
        });
    }

    /** The pages subscribed to a message's topic (or to every message, for a broadcast), or null when none are. */
    Collection<UiEndpoint> targetsOf(Envelope envelope) {
        return envelope.topic() == null ? broadcast : byTopic.get(envelope.topic());
    }
}
