package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The last messages of topics that keep history (as the application's {@link HistoryPolicy} says), in the hub's one
 * order, and, with a transport, which topics still need what the engine keeps of them: messages sent before this node
 * started, or before the hub let the topic's history go (it keeps {@code maxTopics} at most). That is read from the
 * engine once per topic, while the subscriptions that need it wait, and merged with what the node received.
 *
 * <p>Threading: the fan-out task only (it owns the order); {@link #size} from any thread. The policy is the
 * application's code: it is asked through {@link #size} only, which survives it throwing.
 */
final class TopicHistories {

    private static final Logger LOG = Logs.DELIVERY;
    /** Topics beyond this many by default: the least recently used one's history goes. */
    static final int MAX_TOPICS = 10_000;

    private final HistoryPolicy policy;
    private final int maxTopics;
    private final AtomicBoolean policyWarned = new AtomicBoolean();
    private final Map<String, ArrayDeque<Envelope>> histories = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ArrayDeque<Envelope>> eldest) {
            if (size() > maxTopics) {
                completed.remove(eldest.getKey());
                lastDropped.remove(eldest.getKey());
                eldest.getValue().forEach(sentToOthersBy::remove);
                return true;
            }
            return false;
        }
    };
    /**
     * The message that last left each topic's history, so that a component which saw exactly that one resumes with the
     * whole history rather than starting over (see {@link HistoryCursor#resume}).
     */
    private final Map<String, Envelope> lastDropped = new HashMap<>();
    /**
     * The page that sent each kept {@code sendOthers} message, by its token (history must not keep a page reachable):
     * a component of that page that resumes is not handed it, as the page never is, even after it moved to another UI
     * (see {@link HistoryCursor}).
     */
    private final IdentityHashMap<Envelope, PageIds.PageId> sentToOthersBy = new IdentityHashMap<>();
    private final PageIds pageIds;
    /** Topics whose history was completed from the engine. */
    private final Set<String> completed = new HashSet<>();
    /** Topics whose history is being read from the engine, with the subscriptions that wait for it. */
    private final Map<String, List<Waiting>> reads = new HashMap<>();

    /** A subscription waiting for its topic's history, to be handed it from after {@code after} (null: all of it). */
    record Waiting(Subscription subscription, HistoryCursor.@Nullable Position after) {
    }

    TopicHistories(HistoryPolicy policy, int maxTopics, PageIds pageIds) {
        this.policy = policy;
        this.pageIds = pageIds;
        this.maxTopics = maxTopics;
    }

    /** How many of a topic's messages are kept; 0 for none, for the hub's own topics, and where the policy throws. */
    int size(@Nullable String topic) {
        if (topic == null || topic.startsWith(Dispatcher.INTERNAL)) {
            return 0;
        }
        try {
            return Math.min(policy.size(topic), HistoryPolicy.MAX_SIZE);
        } catch (Throwable broken) {
            // a topic the policy cannot answer for keeps no history, and its messages still go out
            if (Failures.isFatal(broken)) {
                throw broken;
            }
            if (policyWarned.compareAndSet(false, true)) {
                LOG.error("flow-pubsub: the HistoryPolicy threw for topic '{}'; topics it throws for keep no history "
                        + "(logged once)", Excerpt.of(topic), broken);
            }
            return 0;
        }
    }

    /** Keeps a message, if its topic keeps history. */
    void remember(Envelope envelope) {
        String topic = envelope.topic();
        int size = size(topic);
        if (topic == null || size <= 0) {
            return;
        }
        ArrayDeque<Envelope> history = histories.computeIfAbsent(topic, t -> new ArrayDeque<>());
        // without the sender's UI (sendOthers): history must not keep a page reachable
        Envelope kept = new Envelope(topic, envelope.message(), null, envelope.origin(), envelope.originSequence(),
                envelope.sentNanos());
        history.addLast(kept);
        UI sender = envelope.skip();
        if (sender != null) {
            sentToOthersBy.put(kept, pageIds.of(sender));
        }
        while (history.size() > size) {
            drop(topic, history.removeFirst());
        }
    }

    private void drop(String topic, Envelope dropped) {
        lastDropped.put(topic, dropped);
        sentToOthersBy.remove(dropped);
    }

    /** The message that last left the topic's history, or {@code null} if none has. */
    @Nullable Envelope lastDropped(String topic) {
        return lastDropped.get(topic);
    }

    /** Whether one of {@code pages} sent this kept message with {@code sendOthers}, so it must never be handed it. */
    boolean sentToOthersBy(Envelope kept, Set<PageIds.PageId> pages) {
        PageIds.PageId sender = sentToOthersBy.get(kept);
        return sender != null && pages.contains(sender);
    }

    /** What the topic keeps now, oldest first. */
    List<Envelope> of(String topic) {
        ArrayDeque<Envelope> history = histories.get(topic);
        return history == null ? List.of() : List.copyOf(history);
    }

    /** Whether the topic's history still lacks what the engine keeps of it (from before it started, or let go). */
    boolean needsRead(String topic) {
        return !completed.contains(topic);
    }

    /**
     * Makes {@code subscription} wait for the read of the topic's older part.
     *
     * @return true if no read is under way yet: the caller starts one
     */
    boolean awaitRead(String topic, Waiting subscription) {
        List<Waiting> waiting = reads.get(topic);
        if (waiting != null) {
            waiting.add(subscription);
            return false;
        }
        reads.put(topic, new ArrayList<>(List.of(subscription)));
        return true;
    }

    /**
     * The engine answered ({@code older}, oldest first) or did not ({@code null}): completes the topic's history,
     * skipping what it has, and returns the subscriptions that waited. A topic whose read failed is read again for its
     * next subscriber.
     */
    List<Waiting> readDone(String topic, @Nullable List<Envelope> older) {
        List<Waiting> waiting = reads.remove(topic);
        if (older != null) {
            complete(topic, older);
        }
        return waiting == null ? List.of() : waiting;
    }

    /**
     * Merges the engine's answer into the history. The engine's answer reaches no further than what this node has
     * received (see {@code Transport.history}), so what it holds that the history does not is older than everything
     * the history holds (received before the history was started again, or before this node started): it goes
     * first, in the engine's order, and what is kept twice counts once, by origin and sequence.
     */
    private void complete(String topic, List<Envelope> older) {
        if (!completed.add(topic) || older.isEmpty()) {
            return;
        }
        int size = size(topic);
        ArrayDeque<Envelope> history = histories.computeIfAbsent(topic, t -> new ArrayDeque<>());
        Set<String> known = new HashSet<>();
        for (Envelope envelope : history) {
            known.add(envelope.origin() + "#" + envelope.originSequence());
        }
        ArrayDeque<Envelope> merged = new ArrayDeque<>(Math.min(size, older.size() + history.size()));
        for (Envelope envelope : older) {
            // an engine may hold a message twice (a retried write whose first reply was lost): once is enough
            if (known.add(envelope.origin() + "#" + envelope.originSequence())) {
                merged.addLast(envelope);
            }
        }
        merged.addAll(history);
        while (merged.size() > size) {
            drop(topic, merged.pollFirst());
        }
        histories.put(topic, merged);
    }
}
