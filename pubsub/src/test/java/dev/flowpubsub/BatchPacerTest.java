package dev.flowpubsub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The pacer on its own: a held-back page goes to the lanes after its delay, counted as work until then. */
class BatchPacerTest {

    private final HubTimer timer = new HubTimer();
    private final Tasks tasks = new Tasks(null, timer);
    private final DeliveryLanes lanes = new DeliveryLanes(tasks, 2);
    private final BatchPacer pacer = new BatchPacer(timer, tasks, lanes);

    @AfterEach
    void close() {
        pacer.close();
        tasks.close();
        timer.close();
    }

    @Test
    void aHeldBackPage_isDrainedOnceItsDelayHasPassed_notBefore() throws Exception {
        CountDownLatch drained = new CountDownLatch(1);
        long start = System.nanoTime();

        pacer.holdBack(drained::countDown, TimeUnit.MILLISECONDS.toNanos(150));

        assertThat(drained.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(150));
    }

    @Test
    void aHeldBackPage_countsAsWorkInProgress_untilItIsDrained() throws Exception {
        AtomicInteger drains = new AtomicInteger();

        pacer.holdBack(drains::incrementAndGet, TimeUnit.MILLISECONDS.toNanos(300));

        assertThat(tasks.awaitIdle(Duration.ofMillis(50), () -> false)).as("idle while a page is held back").isFalse();
        assertThat(tasks.awaitIdle(Duration.ofSeconds(5), lanes::hasWaiting)).isTrue();
        assertThat(drains).hasValue(1);
    }

    @Test
    void closing_dropsHeldBackPages_andLeavesNothingCountedAsWork() throws Exception {
        AtomicInteger drains = new AtomicInteger();
        pacer.holdBack(drains::incrementAndGet, TimeUnit.MILLISECONDS.toNanos(200));

        pacer.close();

        assertThat(tasks.awaitIdle(Duration.ofMillis(100), () -> false)).isTrue();
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(2)).until(() -> drains.get() == 0);
    }

    @Test
    void aPageHeldBackAfterTheTimerClosed_isDroppedAtOnce() throws Exception {
        timer.close();
        AtomicInteger drains = new AtomicInteger();

        pacer.holdBack(drains::incrementAndGet, TimeUnit.MILLISECONDS.toNanos(10));

        assertThat(tasks.awaitIdle(Duration.ofMillis(100), () -> false)).isTrue();
        assertThat(drains).hasValue(0);
    }
}
