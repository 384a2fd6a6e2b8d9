package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.jspecify.annotations.Nullable;

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
 * <p>The sets of pages are kept in the order the pages were made ({@link Page#order}), not in hash
 * order: a fan-out then visits pages roughly in the order their objects sit in memory. At 100,000 pages, whose
 * Vaadin state far exceeds the CPU's caches, visiting them in hash order made one message's fan-out 1.3x to 1.6x
 * slower (BENCHMARKS.md, fan-out).
 *
 * <p>Threading: any thread; concurrent maps and sets. Pages change their own entries under their own monitor (see
 * {@link Page}); the fan-out reads them without a lock.
 */
final class SubscriptionIndex {

    /** Each page by its key, its UI object (compared by identity: a UI is one browser tab). */
    private final ConcurrentHashMap<Object, Page> pages = new ConcurrentHashMap<>();
    private final Set<Page> broadcast = inOrder();
    private final ConcurrentHashMap<String, Set<Page>> byTopic = new ConcurrentHashMap<>();

    private static Set<Page> inOrder() {
        return new ConcurrentSkipListSet<>(Comparator.comparingLong(page -> page.order));
    }

    /** The page of {@code ui}, or {@code null} if it holds nothing. */
    @Nullable Page get(UI ui) {
        return pages.get(ui);
    }

    /**
     * The page of {@code ui}, made with {@code create} (and then {@code started}) if it has none.
     */
    Page getOrCreate(UI ui, Function<UI, Page> create, java.util.function.Consumer<Page> started) {
        Page page = pages.get(ui);
        if (page == null) {
            Page created = create.apply(ui);
            page = pages.putIfAbsent(ui, created);
            if (page == null) {
                page = created;
                started.accept(created);
            }
        }
        return page;
    }

    /** Forgets a page whose last subscription ended or whose UI detached (unless a newer page replaced it). */
    void forget(Page page) {
        pages.remove(page.key, page);
    }

    Collection<Page> pages() {
        return pages.values();
    }

    int pageCount() {
        return pages.size();
    }

    int topicCount() {
        return byTopic.size();
    }

    void indexBroadcast(Page page) {
        broadcast.add(page);
    }

    void unindexBroadcast(Page page) {
        broadcast.remove(page);
    }

    void indexTopic(String topic, Page page) {
        byTopic.compute(topic, (key, set) -> {
            Set<Page> result = set == null ? inOrder() : set;
            result.add(page);
            return result;
        });
    }

    void unindexTopic(String topic, Page page) {
        byTopic.computeIfPresent(topic, (key, set) -> {
            set.remove(page);
            return set.isEmpty() ? null : set;
        });
    }

    /** The pages subscribed to a message's topic (or to every message, for a broadcast), or null when none are. */
    @Nullable Collection<Page> targetsOf(Envelope envelope) {
        return envelope.topic() == null ? broadcast : byTopic.get(envelope.topic());
    }
}
