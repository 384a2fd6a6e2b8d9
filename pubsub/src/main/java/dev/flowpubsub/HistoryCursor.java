package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Where a component's history subscription got to in its topic, so that, attached again, it resumes after the last
 * message it was handed instead of from the start of the history. It outlives the subscriptions it follows: one per
 * {@code subscribeTopicWithHistory} of a {@link ComponentPubSub}, a new subscription at each attach.
 *
 * <p>Threading: {@link #passed} runs in the page's batch and {@link #follow} where the page subscribes: both under
 * the page's session lock, so the fields need nothing more. The fan-out task gets only the immutable
 * {@link Position}.
 */
final class HistoryCursor {

    /**
     * A message of the topic, by its identity across nodes (the node that sent it and its number there), as seen
     * through the hub numbered {@code hub}: numbers of a hub without transport mean nothing to another hub. With the
     * pages the component has been on (their {@link PageIds tokens}), whose messages to the others it is never handed.
     */
    record Position(long hub, @Nullable String origin, long sequence, Set<PageIds.PageId> pages) {

        /** A subscription of the hub numbered {@code hub} that was handed nothing: no message is at this position. */
        static Position nothingSeen(long hub, Set<PageIds.PageId> pages) {
            return new Position(hub, null, NOTHING, pages);
        }

        Position on(Set<PageIds.PageId> pagesNow) {
            return new Position(hub, origin, sequence, pagesNow);
        }

        boolean isNothing() {
            return sequence == NOTHING;
        }

        boolean is(Envelope envelope) {
            return envelope.originSequence() == sequence && Objects.equals(envelope.origin(), origin);
        }
    }

    /** Where an attach resumes: the messages to hand first, and whether they start over (what followed was lost). */
    record Resumption(List<Envelope> snapshot, boolean restarted) {
    }

    /** No message has this number: numbers start at 1 (0 is the hub's own messages, which keep no history). */
    private static final long NOTHING = -1;
    /** The pages remembered at most: a view moves to a new UI at each refresh, and only recent pages still send. */
    private static final int PAGES = 8;

    private final @Nullable Runnable onRestart;
    private @Nullable Position last;
    /** The pages the component has been on, the current one last. */
    private final LinkedHashSet<PageIds.PageId> pages = new LinkedHashSet<>();
    /** The hub of the subscription taken last (0 before the first): the one whose messages {@link #passed} sees. */
    private long hub;

    HistoryCursor(@Nullable Runnable onRestart) {
        this.onRestart = onRestart;
    }

    /**
     * A subscription is taken on the hub numbered {@code hub}, on {@code page}: returns where the last one got to,
     * with every page the component has been on (a {@code @PreserveOnRefresh} view moves to a new page at each
     * refresh, and what it sent from the old one to the others is still its own). Session lock held.
     */
    @Nullable Position follow(long hub, PageIds.PageId page) {
        pages.remove(page);
        pages.add(page);
        if (pages.size() > PAGES) {
            pages.remove(pages.getFirst());
        }
        Set<PageIds.PageId> pagesNow = Set.copyOf(pages);
        Position seen = last != null ? last.on(pagesNow) : this.hub != 0 ? Position.nothingSeen(this.hub, pagesNow) : null;
        this.hub = hub;
        return seen;
    }

    /** The subscription was handed this message (whether its type matched or not). Page batch, session lock held. */
    void passed(Envelope envelope) {
        last = new Position(hub, envelope.origin(), envelope.originSequence(), Set.of());
    }

    /** Tells the component its history starts over; inside the page's access. */
    void restarted() {
        if (onRestart != null) {
            onRestart.run();
        }
    }

    /**
     * What a subscription on the hub numbered {@code hub} that last saw {@code after} is handed from the topic's
     * history {@code snapshot}. At the first attach ({@code after == null}): all of it. After an attachment that was
     * handed nothing: all of it but what this page sent to the others, or, if some has left the history meanwhile,
     * that, marked restarted. If the history still holds
     * that message, or it is the one that last left the history ({@code lastDropped}): what follows it, without the
     * messages the component's pages sent to the others ({@code sentByThisPage}), which a page is never handed. Otherwise the
     * history has moved past it, or it is from another hub: all of it but what its pages sent to the others, marked
     * restarted. A history that holds nothing
     * resumes with nothing, not restarted: live messages only.
     */
    static Resumption resume(List<Envelope> snapshot, @Nullable Position after, long hub,
            @Nullable Envelope lastDropped, Predicate<Envelope> sentByThisPage) {
        if (after == null || snapshot.isEmpty()) {
            return new Resumption(snapshot, false);
        }
        if (after.hub() == hub) {
            if (after.isNothing()) {
                // handed nothing while it was attached, so it saw what the history held then: nothing; all of it came
                // after, unless some has left the history since
                return lastDropped == null ? new Resumption(without(snapshot, sentByThisPage), false)
                        : new Resumption(without(snapshot, sentByThisPage), true);
            }
            for (int i = snapshot.size() - 1; i >= 0; i--) {
                if (after.is(snapshot.get(i))) {
                    return new Resumption(without(snapshot.subList(i + 1, snapshot.size()), sentByThisPage), false);
                }
            }
            if (lastDropped != null && after.is(lastDropped)) {
                return new Resumption(without(snapshot, sentByThisPage), false);
            }
        }
        return new Resumption(without(snapshot, sentByThisPage), true);
    }

    private static List<Envelope> without(List<Envelope> messages, Predicate<Envelope> excluded) {
        List<Envelope> kept = new ArrayList<>(messages.size());
        for (Envelope envelope : messages) {
            if (!excluded.test(envelope)) {
                kept.add(envelope);
            }
        }
        return kept;
    }
}
