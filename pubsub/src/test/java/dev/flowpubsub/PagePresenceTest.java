package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A page's presence entries and the disconnect grace: lost, back in time or not, back later. */
class PagePresenceTest {

    private final PagePresence presence = new PagePresence();
    private final PresenceJoin ann = join("ann");
    private final PresenceJoin bob = join("bob");

    private static PresenceJoin join(String id) {
        return new PresenceJoin(null, new Presences.Member("room", id, id, 1L, "local"));
    }

    @Test
    void theFirstEntry_isSaidToBeTheFirst_soThePushConnectionIsWatchedOnce() {
        assertThat(presence.add(ann)).isTrue();
        assertThat(presence.add(bob)).isFalse();
    }

    @Test
    void pushLost_andBackWithinTheGrace_changesNothing() {
        presence.add(ann);
        assertThat(presence.startsGrace()).isTrue();
        PageParts.FakeTimer grace = new PageParts.FakeTimer(() -> { });
        presence.graceStarted(grace);
        assertThat(presence.startsGrace()).as("one grace at a time").isFalse();

        assertThat(presence.pushRestored()).isEmpty();
        assertThat(grace.isCancelled()).isTrue();
        assertThat(presence.graceOver()).as("the grace ended before its time came").isEmpty();
        assertThat(presence.isAway()).isFalse();
    }

    @Test
    void graceOver_theEntriesLeave_untilThePushConnectionIsBack_whenTheyJoinAgain() {
        presence.add(ann);
        presence.add(bob);
        presence.graceStarted(new PageParts.FakeTimer(() -> { }));

        assertThat(presence.graceOver()).containsExactly(ann, bob);
        assertThat(presence.isAway()).isTrue();
        assertThat(presence.announces(ann)).isFalse();
        assertThat(presence.startsGrace()).as("away: no second grace").isFalse();

        assertThat(presence.pushRestored()).containsExactly(ann, bob);
        assertThat(presence.isAway()).isFalse();
        assertThat(presence.announces(ann)).isTrue();
    }

    @Test
    void withoutEntries_noGraceStarts() {
        assertThat(presence.startsGrace()).isFalse();
        presence.add(ann);
        presence.remove(ann);
        assertThat(presence.startsGrace()).isFalse();
        assertThat(presence.isEmpty()).isTrue();
    }

    @Test
    void takeAll_endsTheGrace_andLeavesNothing() {
        presence.add(ann);
        PageParts.FakeTimer grace = new PageParts.FakeTimer(() -> { });
        presence.graceStarted(grace);

        assertThat(presence.takeAll()).containsExactly(ann);
        assertThat(grace.isCancelled()).isTrue();
        assertThat(presence.size()).isZero();
        assertThat(presence.announces(ann)).isFalse();
    }
}
