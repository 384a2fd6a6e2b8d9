package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.spi.TransportEnvelope;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How late messages are, as a {@link LatencyListener} is told: from the send call (on this node, or on the origin
 * node for messages from others) to the page's handler, once per page batch; and how far the transport's reader is
 * behind. The page's session lock is held by the test to make a message wait.
 */
class LatencyTest {

    /** What a listener was told. */
    record Told(String what, long nanos, boolean fromOtherNode) {
    }

    static final class Recorder implements LatencyListener {
        final List<Told> told = new CopyOnWriteArrayList<>();

        @Override
        public void delivered(long nanos, boolean fromOtherNode) {
            told.add(new Told("delivered", nanos, fromOtherNode));
        }

        @Override
        public void received(long nanos) {
            told.add(new Told("received", nanos, true));
        }
    }

    private static final long HELD_NANOS = Duration.ofMillis(300).toNanos();

    private final VaadinApp app = new VaadinApp();
    private final ClusterReceiveTest.HandDrivenTransport transport = new ClusterReceiveTest.HandDrivenTransport();
    private final PubSubHub hub = PubSubHub.builder().transport(transport).history(HistoryPolicy.keep(5, "t"))
            .install(app.service);
    private final Recorder recorder = new Recorder();
    private final UI page = app.browser().pushTab();
    private final Inbox inbox = new Inbox(page);

    LatencyTest() {
        page.accessSynchronously(() -> PubSub.current().subscribeTopic("t", inbox::add));
    }

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void aMessageThatWaitsForThePagesLock_isReportedAsLateAsItWaited() throws InterruptedException {
        var unused = hub.addLatencyListener(recorder);

        page.getSession().lock();
        try {
            hub.sendAllOnTopic("t", "waited");
            Thread.sleep(Duration.ofNanos(HELD_NANOS));
        } finally {
            page.getSession().unlock();
        }
        app.deliver();

        assertThat(inbox.messages).containsExactly("waited");
        assertThat(recorder.told).singleElement().satisfies(told -> {
            assertThat(told.what()).isEqualTo("delivered");
            assertThat(told.fromOtherNode()).isFalse();
            assertThat(told.nanos()).isGreaterThanOrEqualTo(HELD_NANOS);
        });
    }

    @Test
    void aBatchOfSeveralMessages_reportsItsOldest_once() throws InterruptedException {
        var unused = hub.addLatencyListener(recorder);

        page.getSession().lock();
        try {
            hub.sendAllOnTopic("t", "first");
            Thread.sleep(Duration.ofNanos(HELD_NANOS));
            hub.sendAllOnTopic("t", "second");
            await().atMost(Duration.ofSeconds(5)).until(() -> hub.stats().pending() == 2); // both in the page's queue
        } finally {
            page.getSession().unlock();
        }
        app.deliver();

        assertThat(inbox.messages).containsExactly("first", "second");
        assertThat(recorder.told).singleElement().extracting(Told::nanos, InstanceOfAssertFactories.LONG)
                .isGreaterThanOrEqualTo(HELD_NANOS);
    }

    @Test
    void aMessageFromAnotherNode_isTimedFromTheOriginsSendCall_andSoIsTheReader() {
        var unused = hub.addLatencyListener(recorder);
        long sentAt = System.currentTimeMillis() - 5_000; // the other node sent it 5 s ago

        transport.context.receive(new TransportEnvelope("other~1", 1, "t",
                "{\"t\":\"string\",\"v\":\"from afar\"}".getBytes(StandardCharsets.UTF_8), sentAt));
        app.deliver();

        assertThat(inbox.messages).containsExactly("from afar");
        assertThat(recorder.told).hasSize(2);
        assertThat(recorder.told.get(0).what()).isEqualTo("received");
        assertThat(recorder.told.get(1)).satisfies(told -> {
            assertThat(told.what()).isEqualTo("delivered");
            assertThat(told.fromOtherNode()).isTrue();
        });
        assertThat(recorder.told).allSatisfy(told -> assertThat(told.nanos()).isGreaterThanOrEqualTo(
                Duration.ofMillis(4_900).toNanos()));
    }

    @Test
    void aMessageFromANodeThatDoesNotSayWhenItSent_isTimedFromItsArrival() {
        var unused = hub.addLatencyListener(recorder);

        transport.context.receive(new TransportEnvelope("other~1", 1, "t",
                "{\"t\":\"string\",\"v\":\"undated\"}".getBytes(StandardCharsets.UTF_8)));
        app.deliver();

        assertThat(inbox.messages).containsExactly("undated");
        assertThat(recorder.told).extracting(Told::what).containsExactly("received", "delivered");
        assertThat(recorder.told.getFirst().nanos()).isZero();
        assertThat(recorder.told.get(1).nanos()).isLessThan(Duration.ofSeconds(5).toNanos());
    }

    @Test
    void messagesReplayedFromHistory_areNotCountedAsLate() {
        hub.sendAllOnTopic("t", "earlier");
        app.deliver();
        var unused = hub.addLatencyListener(recorder);
        UI later = app.browser().pushTab();
        Inbox laterInbox = new Inbox(later);

        later.accessSynchronously(() -> PubSub.current().subscribeTopicWithHistory("t", String.class, laterInbox::add));
        app.deliver();

        assertThat(laterInbox.messages).containsExactly("earlier");
        assertThat(recorder.told).isEmpty();
    }

    @Test
    void aListenerThatThrows_doesNotStopDelivery_andAnotherListenerIsStillTold() {
        var unused = hub.addLatencyListener((nanos, fromOtherNode) -> {
            throw new IllegalStateException("simulated: a broken meter");
        });
        var unusedToo = hub.addLatencyListener(recorder);

        hub.sendAllOnTopic("t", "one");
        app.deliver();
        hub.sendAllOnTopic("t", "two");
        app.deliver();

        assertThat(inbox.messages).containsExactly("one", "two");
        assertThat(inbox.problems).isEmpty();
        assertThat(recorder.told).hasSize(2);
        assertThat(hub.stats().failed()).as("not a handler failure").isZero();
    }

    @Test
    void aRemovedListener_isToldNothingMore() {
        var registration = hub.addLatencyListener(recorder);
        hub.sendAllOnTopic("t", "one");
        app.deliver();

        registration.remove();
        hub.sendAllOnTopic("t", "two");
        app.deliver();

        assertThat(inbox.messages).containsExactly("one", "two");
        assertThat(recorder.told).hasSize(1);
    }
}
