package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/**
 * One page's presence entries, and what happens to them when its browser goes away without saying so: its push
 * connection lost starts the disconnect grace; back within it, nothing changes; the grace over, the entries leave
 * (the page is away) until the connection is back, when they join again.
 *
 * <pre>
 *   present --pushLost--> in grace --graceOver--> away --pushRestored--> present (entries join again)
 *                            |--pushRestored--> present
 * </pre>
 *
 * <p>Threading: not thread-safe; every method runs under its {@link Page}'s monitor. What leaves or joins is returned,
 * for the page to tell presence outside its monitor.
 */
final class PagePresence {

    private @Nullable List<PresenceJoin> joins;
    /** Ends the page's presence once the disconnect grace has passed; set while its push connection is lost. */
    private @Nullable ScheduledFuture<?> grace;
    /** True once the page left its presence because its push connection stayed lost; it joins again when back. */
    private boolean away;

    /** Adds an entry; returns whether it is the page's first (then its push connection is to be watched). */
    boolean add(PresenceJoin join) {
        List<PresenceJoin> held = joins;
        boolean first = held == null;
        if (held == null) {
            held = new ArrayList<>(2);
            joins = held;
        }
        held.add(join);
        return first;
    }

    /** Removes an entry; whether the page held it. */
    boolean remove(PresenceJoin join) {
        return joins != null && joins.remove(join);
    }

    boolean isEmpty() {
        return joins == null || joins.isEmpty();
    }

    int size() {
        return joins == null ? 0 : joins.size();
    }

    /** Whether the grace is to start now: the page has entries, is neither in grace nor away. */
    boolean startsGrace() {
        return !isEmpty() && grace == null && !away;
    }

    /** The grace started: {@code timer} ends it. */
    void graceStarted(ScheduledFuture<?> timer) {
        grace = timer;
    }

    /** The push connection is back: the grace ends; the entries to join again if the page was away. */
    List<PresenceJoin> pushRestored() {
        cancelGrace();
        if (!away) {
            return List.of();
        }
        away = false;
        return joins == null ? List.of() : List.copyOf(joins);
    }

    /** The grace is over, the page not back: it is away; the entries to leave (none if it came back meanwhile). */
    List<PresenceJoin> graceOver() {
        if (grace == null) {
            return List.of();
        }
        grace = null;
        away = true;
        return joins == null ? List.of() : List.copyOf(joins);
    }

    /** Whether the page is away (its push connection stayed lost), so its entries are to end. */
    boolean isAway() {
        return away;
    }

    /** Whether the page holds {@code join} and is not away, so it is to be announced again. */
    boolean announces(PresenceJoin join) {
        return !away && joins != null && joins.contains(join);
    }

    /** Every entry, which the page no longer holds (it closes, or the hub does); the grace ends. */
    List<PresenceJoin> takeAll() {
        cancelGrace();
        List<PresenceJoin> all = joins == null ? List.of() : joins;
        joins = null;
        return all;
    }

    private void cancelGrace() {
        ScheduledFuture<?> running = grace;
        grace = null;
        if (running != null) {
            running.cancel(false);
        }
    }
}
