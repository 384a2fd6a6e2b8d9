package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ten thousand pages open, subscribe, receive and go away (tab closed or session expired): afterwards the hub
 * holds nothing of them, and every one of them can be garbage collected.
 */
class LeakTest {

    private static final int BROWSERS = 1_000;
    private static final int TABS_PER_BROWSER = 10;

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void tenThousandPagesThatSubscribedAndWentAway_leaveNothingInTheHub_andAreCollected() {
        LongAdder received = new LongAdder();
        List<WeakReference<UI>> pages = new ArrayList<>(BROWSERS * TABS_PER_BROWSER);
        openSubscribeAndLeave(received, pages);

        PubSubStats stats = app.hub().stats();
        assertThat(stats.subscribedUis()).isZero();
        assertThat(stats.subscriptions()).isZero();
        assertThat(stats.topics()).isZero();
        assertThat(stats.pending()).isZero();
        assertThat(received.sum()).as("the pages did receive while open").isPositive();

        awaitCollected(pages);
        assertThat(pages.stream().filter(page -> page.get() != null).count())
                .as("pages still reachable after GC").isZero();
    }

    private void openSubscribeAndLeave(LongAdder received, List<WeakReference<UI>> pages) {
        for (int b = 0; b < BROWSERS; b++) {
            VaadinApp.Browser browser = app.browser();
            List<UI> tabs = new ArrayList<>(TABS_PER_BROWSER);
            for (int t = 0; t < TABS_PER_BROWSER; t++) {
                UI ui = browser.pushTab();
                String room = "room-" + (b % 50);
                String tab = "tab-" + t;
                ui.accessSynchronously(() -> {
                    PubSub pubsub = PubSub.current();
                    // handlers hold their page, as a view's handlers hold its components
                    pubsub.subscribe(message -> received.add(ui.getUIId() >= 0 ? 1 : 0));
                    pubsub.subscribeTopic(room, message -> received.add(ui.getUIId() >= 0 ? 1 : 0));
                    pubsub.subscribeTopic(tab, message -> received.add(ui.getUIId() >= 0 ? 1 : 0));
                    pubsub.subscribeTopic("everyone", (topic, message) -> received.add(ui.getUIId() >= 0 ? 1 : 0));
                });
                tabs.add(ui);
                pages.add(new WeakReference<>(ui));
            }
            PubSub.of(tabs.getFirst()).sendOthersOnTopic("room-" + (b % 50), "hello from browser " + b);
            if (b % 100 == 0) {
                app.hub().sendAll("tick " + b);
                app.hub().sendAllOnTopic("everyone", b);
            }
            // half the tabs are closed one by one, the rest go with their session
            for (int t = 0; t < TABS_PER_BROWSER / 2; t++) {
                browser.closeTab(tabs.get(t));
            }
            if (b % 2 == 0) {
                PubSub.of(tabs.get(TABS_PER_BROWSER - 1)).unsubscribeAll();
            }
            browser.expire();
        }
        app.deliver();
    }

    private static void awaitCollected(List<WeakReference<UI>> pages) {
        for (int attempt = 0; attempt < 20 && pages.stream().anyMatch(page -> page.get() != null); attempt++) {
            System.gc();
        }
    }
}
