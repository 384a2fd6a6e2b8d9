package dev.flowpubsub.spi.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The reconnect pause on its own: jittered, so nodes that lost their engine together do not return together. */
class BackoffTest {

    private static final Duration FIRST = Duration.ofMillis(100);
    private static final Duration MAX = Duration.ofSeconds(2);

    @Test
    void pauses_areJittered_andNeverShorterThanTheFirstNorLongerThanTwoSeconds() {
        Set<Duration> seen = new HashSet<>();
        for (int node = 0; node < 50; node++) {
            for (int attempt = 1; attempt <= 10; attempt++) {
                Duration pause = Backoff.RECONNECT.pause(attempt);
                assertThat(pause).isBetween(FIRST, MAX);
                if (attempt == 10) {
                    seen.add(pause);
                }
            }
        }

        assertThat(seen).as("the tenth pause of 50 nodes").hasSizeGreaterThan(10);
    }

    @Test
    void theCeilingDoubles_fromTheFirstPause() {
        assertThat(Backoff.RECONNECT.pause(1)).isEqualTo(FIRST);
        for (int sample = 0; sample < 200; sample++) {
            assertThat(Backoff.RECONNECT.pause(2)).isBetween(FIRST, Duration.ofMillis(200));
            assertThat(Backoff.RECONNECT.pause(3)).isBetween(FIRST, Duration.ofMillis(400));
            assertThat(Backoff.RECONNECT.pause(5)).isBetween(FIRST, Duration.ofMillis(1_600));
        }
    }

    /** Full jitter, not Lettuce's "half the ceiling to the ceiling": a node may come back soon after any outage. */
    @Test
    void afterManyAttempts_pausesSpreadOverTheWholeRange() {
        long shortOnes = 0;
        for (int sample = 0; sample < 500; sample++) {
            Duration pause = Backoff.RECONNECT.pause(1_000_000);
            assertThat(pause).isBetween(FIRST, MAX);
            if (pause.compareTo(Duration.ofMillis(500)) < 0) {
                shortOnes++;
            }
        }

        assertThat(shortOnes).as("pauses under 500 ms among 500 at the cap").isGreaterThan(20);
    }

    @Test
    void badSettings_areRefused_sayingWhatIsAllowed() {
        assertThatThrownBy(() -> Backoff.fullJitter(Duration.ZERO, MAX))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("first must be at least 1 ms");
        assertThatThrownBy(() -> Backoff.fullJitter(MAX, FIRST))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max must be at least 2 seconds");
        assertThatThrownBy(() -> Backoff.fullJitter(FIRST, Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max must be at most 1 hour");
        assertThatThrownBy(() -> Backoff.RECONNECT.pause(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attempt must be at least 1");
    }

    @Test
    void aFixedPause_whenFirstIsMax() {
        Backoff fixed = Backoff.fullJitter(Duration.ofMillis(250), Duration.ofMillis(250));

        assertThat(fixed.pause(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(fixed.pause(40)).isEqualTo(Duration.ofMillis(250));
    }
}
