package dev.flowpubsub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The hub's timer on its own: started on first use, survives failing actions, refuses work once closed. */
class HubTimerTest {

    private final HubTimer timer = new HubTimer();

    @AfterEach
    void close() {
        timer.close();
    }

    @Test
    void aTimerNeverUsed_hasNoThread() {
        assertThat(timer.isStarted()).isFalse();

        timer.close();

        assertThat(timer.isTerminated()).isFalse();
    }

    @Test
    void aRepeatedActionThatThrows_keepsRepeating() {
        AtomicInteger runs = new AtomicInteger();

        ScheduledFuture<?> heartbeat = timer.repeat(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException("simulated: a heartbeat failed");
        }, TimeUnit.MILLISECONDS.toNanos(5));

        await().atMost(5, TimeUnit.SECONDS).until(() -> runs.get() >= 3);
        heartbeat.cancel(false);
    }

    @Test
    void actions_seeNoInheritableThreadLocalOfTheThreadThatScheduledThem() throws Exception {
        InheritableThreadLocal<String> user = new InheritableThreadLocal<>();
        user.set("ann");
        CompletableFuture<String> seen = new CompletableFuture<>();

        timer.schedule(() -> seen.complete(String.valueOf(user.get())), 0);

        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("null");
        user.remove();
    }

    @Test
    void aClosedTimer_refusesNewActions_andItsThreadHasEnded() {
        timer.schedule(() -> { }, 0);

        timer.close();

        assertThat(timer.isTerminated()).isTrue();
        assertThatThrownBy(() -> timer.schedule(() -> { }, 0)).isInstanceOf(RejectedExecutionException.class);
    }
}
