package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node tells the others its joins and leaves at the end of a window: one message per entry that changed. Two nodes'
 * presence state over the wire format, each window ended by the test.
 */
class PresenceWindowsTest {

    private static final long BEAT = Duration.ofSeconds(5).toNanos();

    private final List<PresenceMessage> toldByA = new ArrayList<>();
    private final List<PresenceMessage> heardByB = new ArrayList<>();
    private final List<Runnable> windowsOfA = new ArrayList<>();
    private final Presences a = new Presences(event -> { }, "a~1", toldByA::add, 100, windowsOfA::add);
    private final Presences b = new Presences(event -> { }, "b~1", message -> { }, 100, window -> { });
    private final Presences.Member ann = new Presences.Member("room", "a~1-1", "ann", 1L, "a~1");

    /** The end of A's window: A tells what changed, B hears it. */
    private void endWindow() {
        List<Runnable> ending = List.copyOf(windowsOfA);
        windowsOfA.clear();
        ending.forEach(Runnable::run);
        for (PresenceMessage message : toldByA) {
            heardByB.add(message);
            b.onRemote("a~1", message.toWire(), 0, BEAT);
        }
        toldByA.clear();
    }

    @Test
    void aJoinAndItsLeaveInOneWindow_areNotTold() {
        a.localJoin(ann);
        a.localLeave(ann);
        endWindow();

        assertThat(heardByB).isEmpty();
        assertThat(b.present("room")).isEmpty();
    }

    @Test
    void aLeaveAndARejoinInOneWindow_areNotTold_theOthersStillHaveTheEntry() {
        a.localJoin(ann);
        endWindow();
        heardByB.clear();

        a.localLeave(ann); // its push connection stayed lost past the grace
        a.localJoin(ann); // and came back within the same window
        endWindow();

        assertThat(heardByB).isEmpty();
        assertThat(b.present("room")).extracting(Presence::id).containsExactly("a~1-1");
    }

    /**
     * Leave, rejoin and leave again in one window, after the join was told: the last leave must reach the others. It
     * was lost (the rejoin replaced the untold leave by a join, which the second leave then cancelled), leaving a ghost
     * entry on the other nodes until a heartbeat found their digests apart (found by an independent review).
     */
    @Test
    void leaveRejoinAndLeaveInOneWindow_afterTheJoinWasTold_reachTheOthersAsOneLeave() {
        a.localJoin(ann);
        endWindow();
        assertThat(b.present("room")).hasSize(1);

        a.localLeave(ann); // away past the grace
        a.localJoin(ann); // back
        a.localLeave(ann); // and the tab closes
        endWindow();

        assertThat(a.present("room")).as("on A").isEmpty();
        assertThat(b.present("room")).as("on B, after A's window").isEmpty();
    }
}
