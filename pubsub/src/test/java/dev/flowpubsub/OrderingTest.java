package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Per page, messages of one sender arrive in the order they were sent; every page sees one order. */
class OrderingTest {

    record Numbered(int sender, int n) {
    }

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    private List<Inbox> threeSubscribedPagesInTwoSessions() {
        VaadinApp.Browser alice = app.browser();
        VaadinApp.Browser bob = app.browser();
        List<Inbox> inboxes = new ArrayList<>();
        for (UI ui : List.of(alice.pushTab(), alice.pushTab(), bob.pushTab())) {
            Inbox inbox = new Inbox(ui);
            ui.accessSynchronously(() -> PubSub.current().subscribeTopic("seq", Numbered.class, inbox::add));
            inboxes.add(inbox);
        }
        return inboxes;
    }

    @Test
    void thousandMessagesFromOneSender_arriveCompleteAndInOrderOnEveryPage() {
        List<Inbox> inboxes = threeSubscribedPagesInTwoSessions();
        List<Numbered> sent = IntStream.range(0, 1000).mapToObj(n -> new Numbered(0, n)).toList();

        sent.forEach(message -> app.hub().sendAllOnTopic("seq", message));
        app.deliver();

        for (Inbox inbox : inboxes) {
            assertThat(inbox.messages).containsExactlyElementsOf(sent);
            assertThat(inbox.problems).isEmpty();
        }
    }

    @Test
    void concurrentSenders_eachKeepTheirOrder_andEveryPageSeesTheSameInterleaving() throws InterruptedException {
        int senders = 4;
        int perSender = 500;
        // room for the whole burst: this test is about order, not about the overflow policy
        PubSubHub.builder().queueCapacity(senders * perSender).install(app.service);
        List<Inbox> inboxes = threeSubscribedPagesInTwoSessions();
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int s = 0; s < senders; s++) {
            int sender = s;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int n = 0; n < perSender; n++) {
                    app.hub().sendAllOnTopic("seq", new Numbered(sender, n));
                }
            }));
        }
        start.countDown();
        for (Thread thread : threads) {
            thread.join();
        }
        app.deliver();

        List<Object> reference = inboxes.getFirst().messages;
        assertThat(reference).hasSize(senders * perSender);
        for (Inbox inbox : inboxes) {
            assertThat(inbox.messages).containsExactlyElementsOf(reference);
        }
        for (int s = 0; s < senders; s++) {
            int sender = s;
            List<Integer> ofSender = reference.stream().map(Numbered.class::cast)
                    .filter(m -> m.sender() == sender).map(Numbered::n).toList();
            assertThat(ofSender).isSorted().hasSize(perSender);
        }
    }
}
