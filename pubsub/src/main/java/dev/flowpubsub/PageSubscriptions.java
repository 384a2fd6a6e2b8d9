package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One page's subscriptions: its broadcast handlers and its handlers per topic, and the page's entries in the hub's
 * {@link SubscriptionIndex} (the page is indexed under a topic while it has a handler on it). The arrays and the map
 * are replaced on every change, never changed in place, so the page's batch reads them without the monitor.
 *
 * <p>Threading: changes run under its {@link Page}'s monitor; {@link #of} from the page's batch, without it.
 */
final class PageSubscriptions {

    /** Where the page is indexed: the hub's subscription index, for this page. */
    interface Index {
        void indexBroadcast();

        void unindexBroadcast();

        void indexTopic(String topic);

        void unindexTopic(String topic);
    }

    private static final Subscription[] NONE = new Subscription[0];

    private final Index index;
    private volatile Subscription[] broadcast = NONE;
    /** A new map on every change; {@code null} while the page has no topic subscription. */
    private volatile @Nullable Map<String, Subscription[]> topics;
    private int count;

    PageSubscriptions(Index index) {
        this.index = index;
    }

    void add(Subscription subscription) {
        String topic = subscription.topic;
        if (topic == null) {
            broadcast = append(broadcast, subscription);
            if (broadcast.length == 1) {
                index.indexBroadcast();
            }
        } else {
            Map<String, Subscription[]> next = topics == null ? new HashMap<>(4) : new HashMap<>(topics);
            Subscription[] onTopic = append(next.getOrDefault(topic, NONE), subscription);
            next.put(topic, onTopic);
            topics = next;
            if (onTopic.length == 1) {
                index.indexTopic(topic);
            }
        }
        count++;
    }

    /** Removes an active subscription (deactivating it); returns whether it was one of the page's. */
    boolean remove(Subscription subscription) {
        if (!subscription.isActive()) {
            return false;
        }
        subscription.deactivate();
        String topic = subscription.topic;
        if (topic == null) {
            broadcast = without(broadcast, subscription);
            if (broadcast.length == 0) {
                index.unindexBroadcast();
            }
        } else {
            Map<String, Subscription[]> byTopic = topics;
            Subscription[] onTopic = byTopic == null ? NONE : byTopic.getOrDefault(topic, NONE);
            setTopic(topic, without(onTopic, subscription));
        }
        count--;
        return true;
    }

    /** Flet's {@code unsubscribe()}: every broadcast handler; returns how many. */
    int removeBroadcast() {
        Subscription[] removed = broadcast;
        if (removed.length == 0) {
            return 0;
        }
        for (Subscription s : removed) {
            s.deactivate();
        }
        broadcast = NONE;
        index.unindexBroadcast();
        count -= removed.length;
        return removed.length;
    }

    /** Flet's {@code unsubscribe_topic(topic)}: every handler on that topic; returns how many. */
    int removeTopic(String topic) {
        Map<String, Subscription[]> byTopic = topics;
        Subscription[] removed = byTopic == null ? null : byTopic.get(topic);
        if (removed == null) {
            return 0;
        }
        for (Subscription s : removed) {
            s.deactivate();
        }
        setTopic(topic, NONE);
        count -= removed.length;
        return removed.length;
    }

    /** Every subscription ends and the page leaves the index; returns how many there were. */
    int removeAll() {
        for (Subscription s : broadcast) {
            s.deactivate();
        }
        if (broadcast.length > 0) {
            index.unindexBroadcast();
        }
        broadcast = NONE;
        Map<String, Subscription[]> byTopic = topics;
        if (byTopic != null) {
            for (Map.Entry<String, Subscription[]> entry : byTopic.entrySet()) {
                for (Subscription s : entry.getValue()) {
                    s.deactivate();
                }
                index.unindexTopic(entry.getKey());
            }
            topics = null;
        }
        int removed = count;
        count = 0;
        return removed;
    }

    private void setTopic(String topic, Subscription[] remaining) {
        Map<String, Subscription[]> next = topics == null ? new HashMap<>(4) : new HashMap<>(topics);
        if (remaining.length > 0) {
            next.put(topic, remaining);
            topics = next;
            return;
        }
        next.remove(topic);
        topics = next.isEmpty() ? null : next;
        index.unindexTopic(topic);
    }

    /** How many subscriptions the page holds. */
    int count() {
        return count;
    }

    /** The subscriptions a message goes to (empty if none); read without the monitor, by the page's batch. */
    Subscription[] of(Envelope envelope) {
        if (envelope.topic() == null) {
            return broadcast;
        }
        Map<String, Subscription[]> byTopic = topics;
        Subscription[] onTopic = byTopic == null ? null : byTopic.get(envelope.topic());
        return onTopic == null ? NONE : onTopic;
    }

    private static Subscription[] append(Subscription[] array, Subscription s) {
        Subscription[] copy = Arrays.copyOf(array, array.length + 1);
        copy[array.length] = s;
        return copy;
    }

    @SuppressWarnings("ReferenceEquality") // a subscription is one object
    private static Subscription[] without(Subscription[] array, Subscription s) {
        List<Subscription> kept = new ArrayList<>(array.length);
        for (Subscription each : array) {
            if (each != s) {
                kept.add(each);
            }
        }
        return kept.isEmpty() ? NONE : kept.toArray(NONE);
    }
}
