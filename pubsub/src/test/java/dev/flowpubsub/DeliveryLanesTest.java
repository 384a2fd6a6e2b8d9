package dev.flowpubsub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The delivery lanes on their own: every ready page runs once, a stuck page gets company, the cap holds. */
class DeliveryLanesTest {

    private final HubTimer timer = new HubTimer();
    private final Tasks tasks = new Tasks(null, timer);
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void close() {
        release.countDown();
        tasks.close();
        timer.close();
    }

    @Test
    void everyScheduledPage_isDrainedOnce_whenScheduledFromManyThreads() throws Exception {
        DeliveryLanes lanes = new DeliveryLanes(tasks, 4);
        List<AtomicInteger> drains = new ArrayList<>();
        for (int i = 0; i < 4_000; i++) {
            drains.add(new AtomicInteger());
        }
        List<Thread> schedulers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            int first = t;
            schedulers.add(Thread.ofPlatform().start(() -> {
                for (int i = first; i < drains.size(); i += 4) {
                    lanes.schedule(drains.get(i)::incrementAndGet);
                }
            }));
        }
        for (Thread scheduler : schedulers) {
            scheduler.join();
        }

        assertThat(tasks.awaitIdle(Duration.ofSeconds(10), lanes::hasWaiting)).isTrue();
        assertThat(drains).allSatisfy(count -> assertThat(count).hasValue(1));
    }

    @Test
    void pagesStuckInTheirBatches_doNotHoldUpAPageThatIsReady() {
        int eager = Math.max(2, Runtime.getRuntime().availableProcessors());
        DeliveryLanes lanes = new DeliveryLanes(tasks, eager + 1);
        AtomicInteger stuck = new AtomicInteger();
        for (int i = 0; i < eager; i++) {
            lanes.schedule(() -> {
                stuck.incrementAndGet();
                awaitRelease();
            });
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> stuck.get() == eager);
        CountDownLatch quickDrained = new CountDownLatch(1);

        lanes.schedule(quickDrained::countDown);

        await().atMost(5, TimeUnit.SECONDS).until(() -> quickDrained.getCount() == 0);
        assertThat(stuck).as("every stuck page is still in its batch").hasValue(eager);
    }

    @Test
    void stuckPages_neverRunOnMoreLanesThanTheCap() throws Exception {
        DeliveryLanes lanes = new DeliveryLanes(tasks, 3);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < 8; i++) {
            lanes.schedule(() -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                awaitRelease();
                running.decrementAndGet();
                done.incrementAndGet();
            });
        }
        await().atMost(5, TimeUnit.SECONDS).until(() -> running.get() == 3);
        // long enough for the watchdog to have looked many times (it looks every 10 ms)
        Thread.sleep(DeliveryLanes.STUCK_NANOS / 1_000_000 * 10);
        assertThat(mostAtOnce).hasValue(3);

        release.countDown();

        await().atMost(5, TimeUnit.SECONDS).until(() -> done.get() == 8);
        assertThat(mostAtOnce).hasValue(3);
    }

    @Test
    void aLaneEndedByAFailure_leavesTheWaitingPagesToAnotherLane() {
        DeliveryLanes lanes = new DeliveryLanes(tasks, 1);
        CountDownLatch inFailingPage = new CountDownLatch(1);
        CountDownLatch nextDrained = new CountDownLatch(1);
        lanes.schedule(() -> {
            inFailingPage.countDown();
            awaitRelease();
            throw new IllegalStateException("simulated: a failure the page did not report");
        });
        await().atMost(5, TimeUnit.SECONDS).until(() -> inFailingPage.getCount() == 0);
        lanes.schedule(nextDrained::countDown);

        release.countDown();

        await().atMost(5, TimeUnit.SECONDS).until(() -> nextDrained.getCount() == 0);
    }

    private void awaitRelease() {
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
