package dev.flowpubsub.postgres;

import ch.qos.logback.classic.Level;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.Inbox;
import dev.flowpubsub.JsonCodec;
import dev.flowpubsub.PubSubHubBuilder;
import dev.flowpubsub.testsupport.LogCapture;
import dev.flowpubsub.testsupport.TcpProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a node's writer does when its writes cannot get through: an outbox that fills while the node is cut off from
 * PostgreSQL (bounded in messages and in bytes, the rest counted), and a {@code COMMIT} whose reply is lost, which the
 * writer retries without inserting anything twice.
 */
@Tag("integration")
class PostgresWriteFaultTest {

    @RegisterExtension
    final PostgresTestbed testbed = new PostgresTestbed();

    @RegisterExtension
    final LogCapture logs = LogCapture.of("dev.flowpubsub.postgres", Level.INFO);

    /** Short timeouts, so a cut network is found out in a test's time; no trim round, whose COMMIT would blur. */
    private static PostgresTransport.Builder quick(PostgresTransport.Builder settings) {
        return settings.commandTimeout(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(200))
                .trimInterval(Duration.ofHours(1));
    }

    /** No presence heartbeat while the test runs: every sequence number of a node is a message the test sent. */
    private static PubSubHubBuilder quiet(PubSubHubBuilder hub) {
        return hub.presenceHeartbeat(Duration.ofHours(1));
    }

    private static Map<String, Object> health(PostgresNode node) {
        return node.hub.transportHealth().orElseThrow().details();
    }

    /** Whether A's writer has taken what A sent into its batch (no longer in the outbox's queue). */
    private static boolean writerHolds(PostgresNode node) {
        return node.transport.outboxWaiting() == 0;
    }

    private String through(TcpProxy proxy) {
        return "jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres";
    }

    @Test
    void nodeCutOffWithASmallOutbox_buffersOutboxCapacityMessages_countsTheRestAsDroppedWhileDown_andTheOtherNodeGetsExactlyTheBufferedOnesInOrder() {
        int capacity = 20;
        Map<String, Object> whileDown = cutOffWithASmallOutbox(settings -> settings.outboxCapacity(capacity),
                n -> "a:" + n, capacity);
        assertThat((Long) whileDown.get("bufferedBytes")).isPositive();
    }

    @Test
    void nodeCutOffWithAnOutboxBoundInBytes_buffersWhatFitsInOutboxMaxBytes_countsTheRestAsDroppedWhileDown_andTheOtherNodeGetsExactlyTheBufferedOnesInOrder() {
        IntFunction<String> message = n -> "a:" + n + "|" + "x".repeat(997 - Integer.toString(n).length());
        int size = JsonCodec.allowing().encode(message.apply(0)).length;
        assertThat(IntStream.range(0, 200).map(n -> JsonCodec.allowing().encode(message.apply(n)).length).distinct())
                .as("every message of this test is the same size once encoded").containsExactly(size);
        long maxBytes = 10L * size + size / 2;

        // the bytes of the message in the writer's hands count against the bound: 9 more fit beside it
        Map<String, Object> whileDown = cutOffWithASmallOutbox(settings -> settings.outboxMaxBytes(maxBytes),
                message, 9);
        assertThat(whileDown.get("bufferedBytes")).isEqualTo(10L * size);
    }

    /**
     * Node A, behind a proxy, is cut off; its writer takes the first message sent then into hand (and keeps it until
     * PostgreSQL is back); then 100 more are sent, of which {@code fits} wait in the outbox and the rest are dropped.
     * A's pages get everything; B gets the held and buffered ones, in order, and counts the dropped ones as missed.
     * Returns A's health details while it was cut off.
     */
    private Map<String, Object> cutOffWithASmallOutbox(UnaryOperator<PostgresTransport.Builder> outbox,
                                                       IntFunction<String> message, int fits) {
        TcpProxy aNetwork = testbed.closeLater(new TcpProxy(testbed.postgres().port()));
        PostgresNode b = testbed.node(testbed.postgres().jdbcUrl(), PostgresWriteFaultTest::quick,
                PostgresWriteFaultTest::quiet);
        PostgresNode a = testbed.node(through(aNetwork), settings -> outbox.apply(quick(settings)),
                PostgresWriteFaultTest::quiet);
        Inbox onA = a.page("flow");
        Inbox onB = b.page("flow");
        a.hub.sendAllOnTopic("flow", message.apply(0));
        await().atMost(Duration.ofSeconds(20)).until(() -> onB.messages.size() == 1);

        aNetwork.cut();
        await().atMost(Duration.ofSeconds(10)).until(() -> "DOWN".equals(health(a).get("writer")));
        a.hub.sendAllOnTopic("flow", message.apply(1));
        // the writer takes this one into its batch, out of the outbox's queue, and holds it until it can write it
        await().atMost(Duration.ofSeconds(10)).until(() -> health(a).get("buffered").equals(1)
                && !health(a).get("bufferedBytes").equals(0L) && writerHolds(a));
        int more = 100;
        for (int n = 2; n < 2 + more; n++) {
            a.hub.sendAllOnTopic("flow", message.apply(n));
        }

        Map<String, Object> whileDown = health(a);
        assertThat(whileDown.get("buffered")).as("what fits, and the one in the writer's batch").isEqualTo(fits + 1);
        assertThat(whileDown.get("droppedWhileDown")).as("what did not fit is counted").isEqualTo((long) more - fits);
        List<Object> everything = IntStream.range(0, 2 + more).mapToObj(n -> (Object) message.apply(n)).toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> onA.messages.size() == everything.size());
        assertThat(onA.messages).as("A's own pages get every message, cut off or not")
                .containsExactlyElementsOf(everything);
        assertThat(onB.messages).as("nothing reaches B while A is cut off").hasSize(1);

        aNetwork.restore();
        List<Object> written = everything.subList(0, 2 + fits);
        await().atMost(Duration.ofSeconds(20)).until(() -> onB.messages.size() >= written.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> a.hub.transportHealth().orElseThrow().up());
        a.hub.sendAllOnTopic("flow", "a:after");
        await().atMost(Duration.ofSeconds(10)).until(() -> onB.messages.contains("a:after"));

        List<Object> expectedOnB = new ArrayList<>(written);
        expectedOnB.add("a:after");
        assertThat(onB.messages).as("B gets what A held and buffered, in order, then what A sent after")
                .containsExactlyElementsOf(expectedOnB);
        assertThat(b.hub.stats().remoteMissed()).as("B counts the messages A dropped as missed")
                .isEqualTo((long) more - fits);
        assertThat(b.hub.stats().remoteDuplicates()).isZero();
        assertThat(health(a).get("droppedWhileDown")).isEqualTo((long) more - fits);
        assertThat(health(a).get("buffered")).isEqualTo(0);
        return whileDown;
    }

    @Test
    void commitWhoseReplyIsLost_isRetriedOnANewConnection_andInsertsAndDeliversNothingTwice() throws Exception {
        HistoryPolicy flowHistory = HistoryPolicy.keep(1_000, "flow");
        PostgresNode b = testbed.node(testbed.postgres().jdbcUrl(), PostgresWriteFaultTest::quick,
                hub -> quiet(hub).history(flowHistory));
        TcpProxy aNetwork = testbed.closeLater(new TcpProxy(testbed.postgres().port()));
        PostgresNode a = testbed.node(through(aNetwork), PostgresWriteFaultTest::quick,
                hub -> quiet(hub).history(flowHistory));
        Inbox onB = b.page("flow");
        a.hub.sendAllOnTopic("flow", "a:0");
        await().atMost(Duration.ofSeconds(20)).until(() -> onB.messages.size() == 1);

        // the server's reply holding the COMMIT command tag is lost: the server committed, A's writer never hears so
        // (pgjdbc sends the text COMMIT only the first time on a connection: then it runs a named statement)
        TcpProxy.LostReply lost = aNetwork.loseReplyHolding("COMMIT");
        int count = 300;
        for (int n = 1; n < count; n++) {
            a.hub.sendAllOnTopic("flow", "a:" + n);
        }
        await().atMost(Duration.ofSeconds(10)).until(lost::happened);
        assertThat(lost.lostReply()).as("the server had committed: its reply to COMMIT is what was lost")
                .contains("COMMIT");

        Sender.awaitAll(onB, "a", count);
        // the lost batch may have held every message: B can have them all before A's writer is back
        await().atMost(Duration.ofSeconds(10)).until(() -> !logs.containing("reachable again").isEmpty());
        String aWriter = "flow-pubsub-postgres-writer-" + a.hub.nodeId().orElseThrow();
        assertThat(logs.containing("lost PostgreSQL")).as("A's writer saw its connection drop, and only that")
                .extracting(LogCapture.Line::thread).singleElement().asString().startsWith(aWriter);
        assertThat(logs.containing("reachable again")).as("and wrote the batch again on a new connection")
                .extracting(LogCapture.Line::thread).singleElement().asString().startsWith(aWriter);
        await().atMost(Duration.ofSeconds(10)).until(() -> health(a).get("buffered").equals(0)
                && a.hub.transportHealth().orElseThrow().up());
        // rows carry the id of this start of A: its configured id, '~' and the start's epoch
        String ofA = "origin LIKE '" + a.hub.nodeId().orElseThrow() + "~%' AND topic = convert_to('flow', 'UTF8')";
        assertThat(testbed.number("SELECT count(*) FROM flow_pubsub_log WHERE " + ofA))
                .as("each of A's messages is in the log once").isEqualTo(count);
        assertThat(testbed.number("SELECT count(DISTINCT sequence) FROM flow_pubsub_log WHERE " + ofA))
                .isEqualTo(count);
        assertThat(testbed.number("SELECT count(*) FROM flow_pubsub_history WHERE " + ofA))
                .as("and in the history once").isEqualTo(count);
        assertThat(testbed.number("SELECT count(DISTINCT sequence) FROM flow_pubsub_history WHERE " + ofA))
                .isEqualTo(count);
        assertThat(b.hub.stats().remoteDuplicates()).as("B never read a message of A twice").isZero();
        assertThat(b.hub.stats().remoteMissed()).isZero();
        assertThat(health(a).get("droppedWhileDown")).isEqualTo(0L);
    }
}
