package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.TransportHealth;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the hub does with what a transport hands it: other nodes' messages once each and in order, its own never,
 * and bad entries counted and skipped while the node keeps running. The transport here is driven by hand.
 */
class ClusterReceiveTest {

    /** A transport whose receiving side the test drives directly, and whose publishes it records. */
    static class HandDrivenTransport implements Transport {
        TransportContext context;
        final List<TransportEnvelope> published = new CopyOnWriteArrayList<>();

        @Override
        public void start(TransportContext context) {
            this.context = context;
        }

        @Override
        public void publish(TransportEnvelope envelope) {
            published.add(envelope);
        }

        @Override
        public TransportHealth health() {
            return TransportHealth.up(Map.of());
        }

        @Override
        public void close() {
        }
    }

    private final VaadinApp app = new VaadinApp();
    private final HandDrivenTransport transport = new HandDrivenTransport();
    private final PubSubHub hub = PubSubHub.builder().transport(transport).nodeId("this-node").install(app.service);
    private final Inbox inbox;

    ClusterReceiveTest() {
        UI ui = app.browser().pushTab();
        inbox = new Inbox(ui);
        ui.accessSynchronously(() -> PubSub.current().subscribeTopic("t", inbox::add));
    }

    @AfterEach
    void close() {
        app.close();
    }

    private static byte[] json(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static TransportEnvelope from(String node, long sequence, String message) {
        return new TransportEnvelope(node, sequence, "t", json("{\"t\":\"string\",\"v\":\"" + message + "\"}"));
    }

    @Test
    void otherNodesMessages_areDeliveredOnce_duplicatesSkipped() {
        transport.context.receive(from("other", 1, "one"));
        transport.context.receive(from("other", 2, "two"));
        transport.context.receive(from("other", 1, "one again"));
        transport.context.receive(from("other", 2, "two again"));
        transport.context.receive(from("other", 3, "three"));
        app.deliver();

        assertThat(inbox.messages).containsExactly("one", "two", "three");
        assertThat(hub.stats().remoteReceived()).isEqualTo(3);
        assertThat(hub.stats().remoteDuplicates()).isEqualTo(2);
    }

    @Test
    void ownMessagesComingBack_areNeverDeliveredTwice() {
        hub.sendAllOnTopic("t", "mine");
        TransportEnvelope echo = transport.published.getFirst();
        transport.context.receive(echo);
        app.deliver();

        assertThat(inbox.messages).containsExactly("mine");
        assertThat(echo.originNode()).as("the node's id and the epoch of this start").startsWith("this-node~")
                .isEqualTo(transport.context.nodeId());
        assertThat(hub.nodeId()).contains("this-node");
        assertThat(echo.sequence()).isEqualTo(1);
    }

    @Test
    void aGapInAnOriginsSequence_isCountedAsMissed() {
        transport.context.receive(from("other", 5, "first seen"));
        transport.context.receive(from("other", 9, "after a gap"));
        app.deliver();

        assertThat(inbox.messages).containsExactly("first seen", "after a gap");
        assertThat(hub.stats().remoteMissed()).isEqualTo(3);
    }

    @Test
    void malformedOrForeignEntries_areCountedAndSkipped_andTheNodeKeepsRunning() {
        transport.context.receive(new TransportEnvelope("other", 1, "t", json("garbage")));
        transport.context.receive(new TransportEnvelope("other", 2, "t", json("{\"t\":\"java.io.File\",\"v\":\"/etc\"}")));
        transport.context.receive(new TransportEnvelope("other", 3, "t", new byte[70_000]));
        transport.context.rejected("1700000000000-0", "no 'payload' field");
        transport.context.receive(from("other", 4, "still fine"));
        app.deliver();

        assertThat(inbox.messages).containsExactly("still fine");
        assertThat(hub.stats().remoteRejected()).isEqualTo(4);
    }

    @Test
    void theHubNeverPublishesToItsTransportBeforeStartingIt() {
        // the hub's first protocol message (asking the other nodes for their presence) raced the transport's start
        for (int i = 0; i < 50; i++) {
            java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
            java.util.concurrent.atomic.AtomicBoolean publishedTooEarly = new java.util.concurrent.atomic.AtomicBoolean();
            HandDrivenTransport strict = new HandDrivenTransport() {
                @Override
                public void start(TransportContext context) {
                    try {
                        Thread.sleep(2); // a real transport connects here: a fan-out running too early has time to
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    super.start(context);
                    started.set(true);
                }

                @Override
                public void publish(TransportEnvelope envelope) {
                    if (!started.get()) {
                        publishedTooEarly.set(true);
                    }
                    super.publish(envelope);
                }
            };
            try (PubSubHub node = PubSubHub.builder().transport(strict).build()) {
                assertThat(node.awaitIdle(java.time.Duration.ofSeconds(5))).isTrue();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(publishedTooEarly).as("published before start, in round %d", i).isFalse();
            assertThat(strict.published).as("the first protocol message, once started").isNotEmpty();
        }
    }
    @Test
    void aHistoryReadThatFailsAfterTheTransportAnswered_stillStartsTheSubscriptions() {
        // a transport that answers its history read with null (a bug in it): decoding the answer fails
        HandDrivenTransport broken = new HandDrivenTransport() {
            @Override
            public java.util.concurrent.CompletionStage<List<TransportEnvelope>> history(String topic, int limit) {
                return java.util.concurrent.CompletableFuture.completedFuture(null);
            }
        };
        try (VaadinApp other = new VaadinApp()) {
            PubSubHub node = PubSubHub.builder().transport(broken).history(HistoryPolicy.keep(10, "room:"))
                    .install(other.service);
            UI first = other.browser().pushTab();
            UI second = other.browser().pushTab();
            Inbox firstInbox = new Inbox(first);
            Inbox secondInbox = new Inbox(second);
            first.accessSynchronously(() -> PubSub.current().subscribeTopicWithHistory("room:a", String.class,
                    firstInbox::add));
            other.deliver();
            second.accessSynchronously(() -> PubSub.current().subscribeTopicWithHistory("room:a", String.class,
                    secondInbox::add));

            node.sendAllOnTopic("room:a", "after the failed read");
            other.deliver();

            assertThat(firstInbox.messages).containsExactly("after the failed read");
            assertThat(secondInbox.messages).containsExactly("after the failed read");
        }
    }
}
