package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Flet's page.on_close: every subscription of a page ends when its UI detaches, and nothing of it stays. */
class LifecycleTest {

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    private static void subscribeBroadcastAndTopics(UI ui, Inbox inbox) {
        ui.accessSynchronously(() -> {
            PubSub pubsub = PubSub.current();
            pubsub.subscribe(inbox::add);
            pubsub.subscribeTopic("room-1", inbox::addWithTopic);
            pubsub.subscribeTopic("room-2", inbox::addWithTopic);
        });
    }

    @Test
    void closingATab_endsAllItsSubscriptions_andTheOtherPagesStillReceive() {
        VaadinApp.Browser alice = app.browser();
        UI closing = alice.pushTab();
        UI staying = alice.pushTab();
        UI bob = app.browser().pushTab();
        Inbox closingInbox = new Inbox(closing);
        Inbox stayingInbox = new Inbox(staying);
        Inbox bobInbox = new Inbox(bob);
        subscribeBroadcastAndTopics(closing, closingInbox);
        subscribeBroadcastAndTopics(staying, stayingInbox);
        subscribeBroadcastAndTopics(bob, bobInbox);

        alice.closeTab(closing);
        app.hub().sendAll("after close");
        app.hub().sendAllOnTopic("room-1", "after close");
        app.deliver();

        assertThat(closingInbox.messages).isEmpty();
        assertThat(stayingInbox.messages).containsExactly("after close", "room-1|after close");
        assertThat(bobInbox.messages).containsExactly("after close", "room-1|after close");
        assertThat(app.hub().stats().subscribedUis()).isEqualTo(2);
        assertThat(app.hub().stats().subscriptions()).isEqualTo(6);
    }

    @Test
    void sessionExpiry_endsTheSubscriptionsOfEveryTabInIt() {
        VaadinApp.Browser alice = app.browser();
        UI tab1 = alice.pushTab();
        UI tab2 = alice.pushTab();
        UI bob = app.browser().pushTab();
        Inbox bobInbox = new Inbox(bob);
        subscribeBroadcastAndTopics(tab1, new Inbox(tab1));
        subscribeBroadcastAndTopics(tab2, new Inbox(tab2));
        subscribeBroadcastAndTopics(bob, bobInbox);

        alice.expire();
        app.hub().sendAllOnTopic("room-2", "still here");
        app.deliver();

        PubSubStats stats = app.hub().stats();
        assertThat(stats.subscribedUis()).isEqualTo(1);
        assertThat(stats.subscriptions()).isEqualTo(3);
        assertThat(stats.delivered()).isEqualTo(1);
        assertThat(bobInbox.messages).containsExactly("room-2|still here");
    }

    @Test
    void messagesQueuedForAPage_areDroppedWhenItDetaches_andNeverHandled() {
        VaadinApp.Browser alice = app.browser();
        UI busy = alice.pushTab();
        Inbox inbox = new Inbox(busy);
        busy.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));

        alice.session.lock();
        try {
            // the page's session is busy with a request: messages wait in its queue
            app.hub().sendAll("one");
            app.hub().sendAll("two");
            app.deliver();
            assertThat(inbox.messages).isEmpty();
            // the page goes away (as when Vaadin removes a UI whose heartbeats stopped)
            UI.setCurrent(busy);
            alice.session.removeUI(busy);
            UI.setCurrent(null);
            assertThat(app.hub().stats().pending()).isZero();
            assertThat(app.hub().stats().subscribedUis()).isZero();
        } finally {
            alice.session.unlock(); // runs the session's queued tasks: the batch must find nothing to do
        }

        assertThat(inbox.messages).isEmpty();
        assertThat(app.sessionErrors()).as("a detached page is no error").isEmpty();
    }

    @Test
    void closedPage_isNotReachableFromTheHub_andIsGarbageCollected() {
        VaadinApp.Browser alice = app.browser();
        WeakReference<UI> closedPage = openSubscribeAndClose(alice);

        app.hub().sendAll("after close");
        app.deliver();

        assertThat(app.hub().stats().subscribedUis()).isZero();
        assertThat(app.hub().stats().topics()).isZero();
        for (int attempt = 0; attempt < 50 && closedPage.get() != null; attempt++) {
            System.gc();
            Thread.onSpinWait();
        }
        assertThat(closedPage.get()).as("the closed UI was garbage collected").isNull();
    }

    private static WeakReference<UI> openSubscribeAndClose(VaadinApp.Browser browser) {
        UI ui = browser.pushTab();
        subscribeBroadcastAndTopics(ui, new Inbox(ui));
        browser.closeTab(ui);
        return new WeakReference<>(ui);
    }
}
