package dev.flowpubsub.redis;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The reconnect pause on its own: jittered, so nodes that lost Redis together do not return together; capped. */
class BackoffTest {

    @Test
    void pauses_areJittered_andNeverLongerThanTwoSeconds() {
        Set<Duration> seen = new HashSet<>();
        for (int node = 0; node < 50; node++) {
            Backoff backoff = new Backoff();
            for (int attempt = 0; attempt < 10; attempt++) {
                Duration pause = backoff.next();
                assertThat(pause).isBetween(Duration.ZERO, Duration.ofSeconds(2));
                if (attempt == 9) {
                    seen.add(pause);
                }
            }
        }

        assertThat(seen).as("the tenth pause of 50 nodes").hasSizeGreaterThan(10);
    }

    @Test
    void afterASuccess_theNextPauseIsShortAgain() {
        Backoff backoff = new Backoff();
        for (int attempt = 0; attempt < 20; attempt++) {
            backoff.next();
        }

        backoff.reset();

        assertThat(backoff.next()).isLessThanOrEqualTo(Duration.ofMillis(200));
    }
}
