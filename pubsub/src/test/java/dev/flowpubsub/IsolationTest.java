package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** A page that cannot keep up slows nobody else: not the sender, not the other pages. */
class IsolationTest {

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    /** Counts down once per message received. */
    private static MessageHandler<Object> countDown(CountDownLatch latch) {
        return message -> latch.countDown();
    }

    @Test
    void handlerSleepingForSeconds_onOnePage_doesNotDelayTheOtherPagesOrTheSender() throws InterruptedException {
        UI slow = app.browser().pushTab();
        UI fast1 = app.browser().pushTab();
        UI fast2 = app.browser().pushTab();
        AtomicBoolean slowHandlerStillSleeping = new AtomicBoolean();
        CountDownLatch slowPageGotAll = new CountDownLatch(100);
        slow.accessSynchronously(() -> PubSub.current().subscribe(message -> {
            if (Integer.valueOf(1).equals(message)) {
                slowHandlerStillSleeping.set(true);
                try {
                    Thread.sleep(3_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                slowHandlerStillSleeping.set(false);
            }
            slowPageGotAll.countDown();
        }));
        CountDownLatch fastPagesGotAll = new CountDownLatch(200);
        fast1.accessSynchronously(() -> PubSub.current().subscribe(countDown(fastPagesGotAll)));
        fast2.accessSynchronously(() -> PubSub.current().subscribe(countDown(fastPagesGotAll)));

        for (int n = 1; n <= 100; n++) {
            app.hub().sendAll(n); // returns at once: nothing waits for the slow page
        }

        assertThat(fastPagesGotAll.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(slowHandlerStillSleeping).as("the other pages got all 100 while the slow one still slept").isTrue();
        assertThat(slowPageGotAll.await(30, TimeUnit.SECONDS)).as("the slow page catches up afterwards").isTrue();
        assertThat(app.hub().stats().dropped()).isZero();
    }

    @Test
    void moreSlowPagesThanCores_stillDoNotHoldUpTheOthers() throws InterruptedException {
        int slowPages = Runtime.getRuntime().availableProcessors() * 2 + 2;
        CountDownLatch slowStarted = new CountDownLatch(slowPages);
        CountDownLatch releaseSlow = new CountDownLatch(1);
        for (int i = 0; i < slowPages; i++) {
            UI slow = app.browser().pushTab();
            slow.accessSynchronously(() -> PubSub.current().subscribe(message -> {
                slowStarted.countDown();
                try {
                    releaseSlow.await(30, TimeUnit.SECONDS); // a handler stuck on something slow
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        CountDownLatch fastGotAll = new CountDownLatch(2 * 20);
        for (int i = 0; i < 2; i++) {
            UI fast = app.browser().pushTab();
            fast.accessSynchronously(() -> PubSub.current().subscribe(countDown(fastGotAll)));
        }

        for (int n = 0; n < 20; n++) {
            app.hub().sendAll(n);
        }

        try {
            assertThat(fastGotAll.await(10, TimeUnit.SECONDS)).as("fast pages got all while slow ones were stuck").isTrue();
            assertThat(slowStarted.await(10, TimeUnit.SECONDS)).as("every slow page is being served too").isTrue();
        } finally {
            releaseSlow.countDown();
        }
    }

    @Test
    void pageWhoseSessionIsLockedForLong_doesNotDelayTheOthers() throws InterruptedException {
        VaadinApp.Browser stalled = app.browser();
        UI stalledPage = stalled.pushTab();
        UI other = app.browser().pushTab();
        CountDownLatch stalledGotAll = new CountDownLatch(50);
        CountDownLatch otherGotAll = new CountDownLatch(50);
        stalledPage.accessSynchronously(() -> PubSub.current().subscribe(countDown(stalledGotAll)));
        other.accessSynchronously(() -> PubSub.current().subscribe(countDown(otherGotAll)));

        stalled.session.lock(); // a long request, or a push write stuck on a dead connection
        try {
            for (int n = 0; n < 50; n++) {
                app.hub().sendAll(n);
            }
            assertThat(otherGotAll.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(stalledGotAll.getCount()).isEqualTo(50);
        } finally {
            stalled.session.unlock();
        }
        assertThat(stalledGotAll.await(10, TimeUnit.SECONDS)).isTrue();
    }
}
