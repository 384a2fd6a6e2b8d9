package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A send never runs handlers on the sender's thread and never waits for other pages' locks. */
class NonBlockingTest {

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void sendFromAClickListener_returnsWhileAnotherSessionIsLocked_andThatPageReceivesOnceUnlocked()
            throws InterruptedException {
        VaadinApp.Browser aliceBrowser = app.browser();
        VaadinApp.Browser bobBrowser = app.browser();
        UI alice = aliceBrowser.pushTab();
        UI bob = bobBrowser.pushTab();
        Inbox aliceInbox = new Inbox(alice);
        Inbox bobInbox = new Inbox(bob);
        alice.accessSynchronously(() -> PubSub.current().subscribe(aliceInbox::add));
        bob.accessSynchronously(() -> PubSub.current().subscribe(bobInbox::add));

        CountDownLatch bobLocked = new CountDownLatch(1);
        CountDownLatch releaseBob = new CountDownLatch(1);
        Thread bobsLongRequest = Thread.ofPlatform().start(() -> {
            bobBrowser.session.lock();
            try {
                bobLocked.countDown();
                releaseBob.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                bobBrowser.session.unlock(); // runs Bob's queued access tasks, as at the end of a request
            }
        });
        assertThat(bobLocked.await(10, TimeUnit.SECONDS)).isTrue();

        // Alice clicks Send while Bob's session is busy: with handlers run on the sender's thread this would block
        alice.accessSynchronously(() -> PubSub.current().sendAll("hi"));
        app.deliver();

        assertThat(aliceInbox.messages).containsExactly("hi");
        assertThat(bobInbox.messages).isEmpty();
        releaseBob.countDown();
        bobsLongRequest.join(10_000);
        assertThat(bobInbox.messages).containsExactly("hi");
        assertThat(aliceInbox.problems).isEmpty();
        assertThat(bobInbox.problems).isEmpty();
    }

    @Test
    void handlers_neverRunInsideTheSendCall_andOtherSessionsNeverOnTheSendersThread() {
        VaadinApp.Browser alice = app.browser();
        UI sender = alice.pushTab();
        UI otherSession = app.browser().pushTab();
        ThreadLocal<Boolean> insideSend = ThreadLocal.withInitial(() -> false);
        List<Boolean> ranInsideSend = new CopyOnWriteArrayList<>();
        List<Thread> otherSessionThreads = new CopyOnWriteArrayList<>();
        sender.accessSynchronously(() -> PubSub.current().subscribe(message -> ranInsideSend.add(insideSend.get())));
        otherSession.accessSynchronously(() -> PubSub.current().subscribe(message -> {
            ranInsideSend.add(insideSend.get());
            otherSessionThreads.add(Thread.currentThread());
        }));

        sender.accessSynchronously(() -> {
            insideSend.set(true);
            PubSub.current().sendAll("from a click listener");
            insideSend.set(false);
        });
        insideSend.set(true);
        app.hub().sendAll("from a service");
        insideSend.set(false);
        app.deliver();

        // the sender's own page may run its handler on this thread once its listener is done (Vaadin runs a
        // session's queued access tasks when its lock is released), but never inside the send call
        assertThat(ranInsideSend).hasSize(4).containsOnly(false);
        assertThat(otherSessionThreads).hasSize(2).doesNotContain(Thread.currentThread());
    }
}
