package dev.flowpubsub;

import com.vaadin.flow.signals.SignalEnvironment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a replica thread hands the effects of one pass to the hub's executor ({@link SignalEffects}): effects that take
 * long hold up the ones after them only until more tasks join, not one after the other. The bounds are several times
 * what the hand-over takes, and a fraction of what running the effects in a row would.
 */
class SignalEffectsTest {

    private final HubTimer timer = new HubTimer();
    private final Tasks tasks = new Tasks(null, timer);
    private final CountDownLatch letGo = new CountDownLatch(1);

    @AfterEach
    void close() {
        letGo.countDown();
        timer.close();
        tasks.close();
    }

    /** One pass of a replica's thread: {@code effects} dispatched as Vaadin dispatches them, then released. */
    private long pass(List<Runnable> effects) throws InterruptedException {
        AtomicLong released = new AtomicLong();
        Thread replica = Thread.ofPlatform().start(() -> {
            SignalEffects.bind(new SignalEffects.PageWork(tasks::submit, tasks::begin, tasks::done, timer));
            Executor dispatcher = SignalEnvironment.getDefaultEffectDispatcher();
            effects.forEach(dispatcher::execute);
            released.set(System.nanoTime());
            SignalEffects.release();
        });
        replica.join();
        return released.get();
    }

    private void blocked() {
        try {
            letGo.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** From the release until the last of {@code count} effects that each sleep {@code millis} has ended. */
    private Duration sleepingEffects(int count, long millis) throws InterruptedException {
        AtomicLong lastEnd = new AtomicLong();
        CountDownLatch done = new CountDownLatch(count);
        List<Runnable> effects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            effects.add(() -> {
                try {
                    Thread.sleep(millis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                lastEnd.accumulateAndGet(System.nanoTime(), Math::max);
                done.countDown();
            });
        }
        long released = pass(effects);
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        return Duration.ofNanos(lastEnd.get() - released);
    }

    @Test
    void fiveBlockedEffectsAhead_holdUpTheNextOneForTensOfMilliseconds_notForEachBlockedOneInTurn() throws Exception {
        List<Runnable> effects = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            effects.add(this::blocked);
        }
        AtomicLong ranAt = new AtomicLong();
        CountDownLatch ran = new CountDownLatch(1);
        effects.add(() -> {
            ranAt.set(System.nanoTime());
            ran.countDown();
        });

        long released = pass(effects);

        assertThat(ran.await(10, TimeUnit.SECONDS)).as("ran while the five were still blocked").isTrue();
        assertThat(Duration.ofNanos(ranAt.get() - released)).isLessThan(Duration.ofMillis(150));
    }

    @Test
    void sixtyFourEffectsOf100msEach_runSideBySide_notSixteenInARow() throws Exception {
        assertThat(sleepingEffects(64, 100)).as("sixteen in a row take 1.6 s").isLessThan(Duration.ofMillis(600));
    }

    @Test
    void sixteenEffectsOf15msEach_doNotRunOneAfterTheOther() throws Exception {
        assertThat(sleepingEffects(16, 15)).as("one after the other they take 240 ms").isLessThan(Duration.ofMillis(150));
    }
}
