package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * With a minimum interval between batches, what reaches a page sooner waits and goes to it in one batch (one
 * access, one push), in order; without one (the default) a page's batch starts at once.
 */
class BatchIntervalTest {

    private static final Duration INTERVAL = Duration.ofMillis(500);

    private final VaadinApp app = new VaadinApp();
    private final VaadinApp.Browser browser = app.browser();
    private final UI page = browser.pushTab();
    private final Inbox inbox = new Inbox(page);
    /** System.nanoTime() of each handler call, in the order of the messages. */
    private final List<Long> handledAt = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        assertThat(inbox.problems).isEmpty();
        app.close();
    }

    private void subscribe() {
        page.accessSynchronously(() -> PubSub.current().subscribe(message -> {
            handledAt.add(System.nanoTime());
            inbox.add(message);
        }));
    }

    @Test
    void messagesSentWithinTheInterval_reachThePageInOneBatch_inOrder_notBeforeTheIntervalHasPassed() {
        PubSubHub.builder().minBatchInterval(INTERVAL).install(app.service);
        subscribe();

        app.hub().sendAll(0);
        app.deliver(); // the page's first batch starts at once
        IntStream.rangeClosed(1, 20).forEach(n -> app.hub().sendAll(n));
        app.deliver(); // waits for the held-back batch too

        assertThat(inbox.messages).containsExactlyElementsOf(IntStream.rangeClosed(0, 20).boxed().toList());
        assertThat(app.hub().stats().batches()).isEqualTo(2);
        long gap = handledAt.get(1) - handledAt.get(0);
        // the second batch starts an interval after the first one started, a little before its handler ran
        assertThat(Duration.ofNanos(gap)).isGreaterThan(INTERVAL.minusMillis(50));
    }

    @Test
    void withoutAnInterval_eachMessageAfterTheLastBatch_isHandledInABatchOfItsOwn() {
        subscribe();

        for (int n = 1; n <= 3; n++) {
            app.hub().sendAll(n);
            app.deliver();
        }

        assertThat(app.hub().minBatchInterval()).isZero();
        assertThat(inbox.messages).containsExactly(1, 2, 3);
        assertThat(app.hub().stats().batches()).isEqualTo(3);
        assertThat(app.hub().dispatcher().timer().isStarted()).as("no page was held back").isFalse();
    }

    @Test
    void closingTheHub_whileABatchWaitsForItsInterval_dropsItWithoutDeliveringIt() throws Exception {
        PubSubHub.builder().minBatchInterval(Duration.ofSeconds(30)).install(app.service);
        subscribe();
        app.hub().sendAll("first");
        app.deliver();
        app.hub().sendAll("held back");
        awaitHeldBack(); // fanned out to the page, whose batch now waits for its interval

        app.hub().close();

        assertThat(app.hub().awaitIdle(Duration.ofSeconds(5))).as("nothing left in progress").isTrue();
        assertThat(app.hub().dispatcher().timer().isTerminated()).as("the timer thread stopped").isTrue();
        assertThat(inbox.messages).containsExactly("first");
    }

    /** Waits (up to 5 s) until one message is queued for the page and its batch is on the timer. */
    private void awaitHeldBack() throws InterruptedException {
        for (int i = 0; i < 500 && !(app.hub().stats().pending() == 1 && app.hub().dispatcher().timer().isStarted()); i++) {
            Thread.sleep(10);
        }
        assertThat(app.hub().stats().pending()).isEqualTo(1);
        assertThat(app.hub().dispatcher().timer().isStarted()).isTrue();
    }

    @Test
    void intervalOutOfRange_isRefusedAtTheBuilder_namingIt() {
        assertThatThrownBy(() -> PubSubHub.builder().minBatchInterval(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minBatchInterval");
        assertThatThrownBy(() -> PubSubHub.builder().minBatchInterval(Duration.ofMinutes(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("minBatchInterval");
        assertThatThrownBy(() -> PubSubHub.builder().minBatchInterval(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("minBatchInterval");
    }
}
