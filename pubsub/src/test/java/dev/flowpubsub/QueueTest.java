package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each page's queue is bounded, drops by an explicit policy when full, and is handled in batches: all that is
 * pending for a page when its turn comes runs in one {@code ui.access}.
 */
class QueueTest {

    private final VaadinApp app = new VaadinApp();
    private final VaadinApp.Browser browser = app.browser();
    private final UI page = browser.pushTab();
    private final Inbox inbox = new Inbox(page);

    @AfterEach
    void close() {
        assertThat(inbox.problems).isEmpty();
        app.close();
    }

    /** Sends 1..count while the page's session is busy (locked by this thread, as by a long request). */
    private void sendWhilePageIsBusy(int count, Runnable whileStillBusy) {
        browser.session.lock();
        try {
            IntStream.rangeClosed(1, count).forEach(n -> app.hub().sendAll(n));
            app.deliver(); // fanned out; the page's batch waits for its session
            whileStillBusy.run();
        } finally {
            browser.session.unlock(); // the request ends: Vaadin runs the queued batch
        }
        app.deliver();
    }

    @Test
    void fullQueue_dropOldest_keepsTheNewestMessages_andCountsEachDrop() {
        PubSubHub.builder().queueCapacity(3).install(app.service);
        page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));

        sendWhilePageIsBusy(5, () -> {
            assertThat(app.hub().stats().pending()).isEqualTo(3);
            assertThat(app.hub().stats().dropped()).isEqualTo(2);
        });

        assertThat(inbox.messages).containsExactly(3, 4, 5);
        assertThat(app.hub().stats().pending()).isZero();
    }

    @Test
    void fullQueue_dropNewest_keepsTheOldestMessages_andCountsEachDrop() {
        PubSubHub.builder().queueCapacity(3).overflowPolicy(OverflowPolicy.DROP_NEWEST).install(app.service);
        page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));

        sendWhilePageIsBusy(5, () -> { });

        assertThat(inbox.messages).containsExactly(1, 2, 3);
        assertThat(app.hub().stats().dropped()).isEqualTo(2);
    }

    @Test
    void overflow_onlyAffectsThePageThatCannotKeepUp() {
        PubSubHub.builder().queueCapacity(3).install(app.service);
        UI healthy = app.browser().pushTab();
        Inbox healthyInbox = new Inbox(healthy);
        page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));
        healthy.accessSynchronously(() -> PubSub.current().subscribe(healthyInbox::add));

        browser.session.lock();
        try {
            for (int n = 1; n <= 5; n++) {
                app.hub().sendAll(n);
                app.deliver(); // the healthy page keeps up, one message at a time
            }
            assertThat(healthyInbox.messages).containsExactly(1, 2, 3, 4, 5);
        } finally {
            browser.session.unlock();
        }
        app.deliver();

        assertThat(inbox.messages).containsExactly(3, 4, 5);
        assertThat(app.hub().stats().dropped()).isEqualTo(2);
    }

    @Test
    void overflow_isLoggedOncePerPage_withItsUiId() {
        PubSubHub.builder().queueCapacity(1).install(app.service);
        page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream originalErr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            sendWhilePageIsBusy(10, () -> { });
        } finally {
            System.setErr(originalErr);
        }

        List<String> warnings = log.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains("cannot keep up")).toList();
        assertThat(warnings).singleElement().asString()
                .contains("UI " + page.getUIId(), "DROP_OLDEST", "queue of 1");
        assertThat(app.hub().stats().dropped()).isEqualTo(9);
        assertThat(inbox.messages).containsExactly(10);
    }

    @Test
    void messagesPendingForAPage_areHandledInOneAccess_inOrder() {
        page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));

        sendWhilePageIsBusy(100, () ->
                // Vaadin's own view: one access task queued for the page, not one per message
                assertThat(browser.session.getPendingAccessQueue()).hasSize(1));

        assertThat(inbox.messages).containsExactlyElementsOf(IntStream.rangeClosed(1, 100).boxed().toList());
        PubSubStats stats = app.hub().stats();
        assertThat(stats.delivered()).isEqualTo(100);
        assertThat(stats.batches()).isEqualTo(1);
    }

    @Test
    void subscriptionsWaitingForTheirStart_takeNoPlaceOfMessagesInTheQueue() {
        VaadinApp small = new VaadinApp();
        try {
            PubSubHub hub = PubSubHub.builder().queueCapacity(2).install(small.service);
            VaadinApp.Browser busy = small.browser();
            UI view = busy.pushTab();
            Inbox got = new Inbox(view);
            busy.session.lock(); // a long request: the page's batch waits
            try {
                PubSub.of(view).subscribeTopicWithHistory("a", String.class, got::add);
                PubSub.of(view).subscribeTopicWithHistory("b", String.class, got::add);
                PubSub.of(view).subscribePresence("c", event -> { });
                hub.sendAllOnTopic("a", "one");
                hub.sendAllOnTopic("b", "two");
                small.deliver();
                assertThat(hub.stats().pending()).as("three starts and two messages").isEqualTo(5);
            } finally {
                busy.session.unlock();
            }
            small.deliver();

            assertThat(got.messages).containsExactly("one", "two");
            assertThat(hub.stats().dropped()).isZero();
            assertThat(hub.stats().pending()).isZero();
        } finally {
            small.close();
        }
    }
}
