package dev.flowpubsub;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** What presence remembers about other nodes is forgotten when they go silent: a cluster that churns nodes leaks nothing. */
class PresencesBookkeepingTest {

    private static final long BEAT = TimeUnit.SECONDS.toNanos(5);

    private final List<PresenceMessage> sent = new ArrayList<>();
    private final Presences presences = new Presences(event -> { }, "me", sent::add, 100, Runnable::run);

    @Test
    void nodesThatWentSilent_leaveNothingBehind_whateverTheyLastSent() {
        long now = 0;
        for (int n = 0; n < 100; n++) {
            String node = "node-" + n;
            now += 1_000;
            switch (n % 4) {
                // a node that only beat (it never had anyone present): it is asked for its state
                case 0 -> presences.onRemote(node, Map.of("k", "beat", "n", 3L, "h", 42L), now, BEAT);
                // a node that joined someone
                case 1 -> presences.onRemote(node, Map.of("k", "join", "topic", "room", "id", node + "-1", "d", "x",
                        "at", 1L), now, BEAT);
                // a node that sent the first of several chunks of its state, then died
                case 2 -> presences.onRemote(node, Map.of("k", "state", "sid", "s1", "i", 0L, "of", 3L,
                        "m", List.of(Map.of("topic", "room", "id", node + "-1", "d", "x", "at", 1L))), now, BEAT);
                // a node that only asked for our state
                default -> presences.onRemote(node, Map.of("k", "sync", "to", "*"), now, BEAT);
            }
        }
        assertThat(presences.trackedNodes()).isEqualTo(100);

        presences.heartbeat(now + 3 * BEAT + 1, 3 * BEAT);

        assertThat(presences.trackedNodes()).as("nodes still tracked after all went silent").isZero();
        assertThat(presences.present("room")).isEmpty();
    }
}
