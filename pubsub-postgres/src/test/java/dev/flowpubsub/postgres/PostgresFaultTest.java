package dev.flowpubsub.postgres;

import dev.flowpubsub.Inbox;
import dev.flowpubsub.testsupport.TcpProxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Faults injected into a real PostgreSQL while messages flow: the server killed and restarted, frozen (SIGSTOP),
 * one node's network cut, a node away for longer than the log keeps rows. Every message is checked: none lost, none
 * twice, each sender's in order.
 */
@Tag("integration")
class PostgresFaultTest {

    /**
     * How long a node is cut off: a few seconds in the normal run; the guarantee is 30 seconds, run with
     * {@code -Dflowpubsub.test.outageSeconds=30}.
     */
    private static final Duration OUTAGE = Duration.ofSeconds(Long.getLong("flowpubsub.test.outageSeconds", 5));

    /** Short timeouts, so a frozen server is found out in a test's time. */
    private static PostgresTransport.Builder quick(PostgresTransport.Builder settings) {
        return settings.commandTimeout(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(200));
    }

    @RegisterExtension
    final PostgresTestbed testbed = new PostgresTestbed();

    private <T extends AutoCloseable> T closeLater(T closeable) {
        return testbed.closeLater(closeable);
    }

    @Test
    void postgresKilledAndRestarted_whileMessagesFlow_everyMessageArrivesOnceAndInOrder() {
        PostgresNode a = testbed.node(PostgresFaultTest::quick);
        PostgresNode b = testbed.node(PostgresFaultTest::quick);
        Inbox onA = a.page("flow");
        Inbox onB = b.page("flow");
        Sender fromA = closeLater(new Sender(a.hub, "a", Duration.ofMillis(2)));
        Sender fromB = closeLater(new Sender(b.hub, "b", Duration.ofMillis(3)));

        await().atMost(Duration.ofSeconds(20)).until(() -> Sender.from(onB, "a").size() > 200);
        testbed.postgres().kill();
        int sentByABeforeRestart = fromA.sent();
        Sender.sleep(Duration.ofSeconds(2));
        assertThat(Sender.from(onA, "a").size()).as("A's pages still get A's messages while PostgreSQL is down")
                .isGreaterThan(sentByABeforeRestart);
        testbed.postgres().restart();
        await().atMost(Duration.ofSeconds(20)).until(() -> Sender.from(onB, "a").size() > sentByABeforeRestart + 200);
        int sentByA = fromA.stop();
        int sentByB = fromB.stop();

        Sender.awaitAll(onB, "a", sentByA);
        Sender.awaitAll(onA, "b", sentByB);
        Sender.awaitAll(onA, "a", sentByA);
        Sender.awaitAll(onB, "b", sentByB);
        assertThat(b.hub.stats().remoteMissed()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.hub.transportHealth().orElseThrow().up());
    }

    @Test
    void postgresFrozen_whileMessagesFlow_nodesNoticeAndAfterwardsEveryMessageArrivesOnceAndInOrder() {
        PostgresNode a = testbed.node(PostgresFaultTest::quick);
        PostgresNode b = testbed.node(PostgresFaultTest::quick);
        Inbox onA = a.page("flow");
        Inbox onB = b.page("flow");
        Sender fromA = closeLater(new Sender(a.hub, "a", Duration.ofMillis(5)));
        Sender fromB = closeLater(new Sender(b.hub, "b", Duration.ofMillis(7)));
        await().atMost(Duration.ofSeconds(20)).until(() -> Sender.from(onB, "a").size() > 100);

        testbed.postgres().pause();
        await().atMost(Duration.ofSeconds(15)).until(() -> !a.hub.transportHealth().orElseThrow().up());
        int sentByAWhileFrozen = fromA.sent();
        Sender.sleep(Duration.ofSeconds(1));
        assertThat(Sender.from(onA, "a").size()).as("A's pages still get A's messages while PostgreSQL is frozen")
                .isGreaterThan(sentByAWhileFrozen);
        testbed.postgres().resume();
        await().atMost(Duration.ofSeconds(20)).until(() -> a.hub.transportHealth().orElseThrow().up()
                && b.hub.transportHealth().orElseThrow().up());
        int sentByA = fromA.stop();
        int sentByB = fromB.stop();

        Sender.awaitAll(onB, "a", sentByA);
        Sender.awaitAll(onA, "b", sentByB);
        assertThat(a.hub.stats().remoteMissed()).isZero();
        assertThat(b.hub.stats().remoteMissed()).isZero();
    }

    @Test
    void nodeCutOffFromPostgres_getsEverythingPublishedMeanwhile_onceAndInOrder() {
        TcpProxy bNetwork = closeLater(new TcpProxy(testbed.postgres().port()));
        PostgresNode a = testbed.node(PostgresFaultTest::quick);
        PostgresNode b = testbed.node("jdbc:postgresql://127.0.0.1:" + bNetwork.port() + "/postgres", PostgresFaultTest::quick, hub -> hub);
        Inbox onA = a.page("flow");
        Inbox onB = b.page("flow");
        Sender fromA = closeLater(new Sender(a.hub, "a", Duration.ofMillis(20)));
        Sender fromB = closeLater(new Sender(b.hub, "b", Duration.ofMillis(25)));
        await().atMost(Duration.ofSeconds(20)).until(() -> Sender.from(onB, "a").size() > 20 && Sender.from(onA, "b").size() > 20);

        bNetwork.cut();
        int receivedByBAtCut = Sender.from(onB, "a").size();
        await().atMost(Duration.ofSeconds(10)).until(() -> !b.hub.transportHealth().orElseThrow().up());
        Sender.sleep(OUTAGE);
        assertThat(Sender.from(onB, "a").size()).as("nothing reaches B while it is cut off").isLessThan(receivedByBAtCut + 5);
        assertThat(b.hub.transportHealth().orElseThrow().details().get("buffered")).isNotEqualTo(0);
        bNetwork.restore();
        await().atMost(Duration.ofSeconds(20)).until(() -> b.hub.transportHealth().orElseThrow().up());
        int sentByA = fromA.stop();
        int sentByB = fromB.stop();

        Sender.awaitAll(onB, "a", sentByA);
        Sender.awaitAll(onA, "b", sentByB);
        Sender.awaitAll(onB, "b", sentByB);
        assertThat(b.hub.stats().remoteMissed()).isZero();
    }

    @Test
    void writerStalledInsideItsAppendTransaction_holdsTheOthersUpOnlyForTheCommandTimeout() throws Exception {
        PostgresNode a = testbed.node(PostgresFaultTest::quick);
        PostgresNode b = testbed.node(PostgresFaultTest::quick);
        Inbox onB = b.page("flow");
        a.hub.sendAllOnTopic("flow", "a:0");
        await().atMost(Duration.ofSeconds(10)).until(() -> Sender.from(onB, "a").size() == 1);

        // what a writer frozen or cut off after taking the lock leaves behind: a session idle in its transaction
        try (java.sql.Connection stalled = java.sql.DriverManager.getConnection(testbed.postgres().jdbcUrl(),
                "postgres", null); java.sql.Statement statement = stalled.createStatement()) {
            stalled.setAutoCommit(false);
            statement.execute(new PostgresSchema("public", "flow_pubsub").appendLockSql(1_000));
            long before = System.nanoTime();
            a.hub.sendAllOnTopic("flow", "a:1");

            await().atMost(Duration.ofSeconds(10)).until(() -> Sender.from(onB, "a").size() == 2);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).as("the server ended the stalled session")
                    .isLessThan(Duration.ofSeconds(8));
        }
    }

    @Test
    void nodeAwayLongerThanTheLogKeepsRows_countsWhatItMissed_andGetsTheRestInOrder() {
        TcpProxy bNetwork = closeLater(new TcpProxy(testbed.postgres().port()));
        UnaryOperator<PostgresTransport.Builder> short100 =
                settings -> quick(settings).maxLength(100).trimInterval(Duration.ofMillis(100));
        // no presence heartbeat: A's sequence holds the test's messages, and at most one presence answer
        PostgresNode a = testbed.node(testbed.postgres().jdbcUrl(), short100,
                hub -> hub.presenceHeartbeat(Duration.ofHours(1)));
        PostgresNode b = testbed.node("jdbc:postgresql://127.0.0.1:" + bNetwork.port() + "/postgres", short100,
                hub -> hub.presenceHeartbeat(Duration.ofHours(1)));
        Inbox onB = b.page("flow");
        a.hub.sendAllOnTopic("flow", "a:0");
        await().atMost(Duration.ofSeconds(20)).until(() -> Sender.from(onB, "a").size() == 1);

        bNetwork.cut();
        await().atMost(Duration.ofSeconds(10)).until(() -> !b.hub.transportHealth().orElseThrow().up());
        for (int n = 1; n <= 2000; n++) {
            a.hub.sendAllOnTopic("flow", "a:" + n);
        }
        await().atMost(Duration.ofSeconds(20))
                .until(() -> a.hub.transportHealth().orElseThrow().details().get("buffered").equals(0));
        Sender.sleep(Duration.ofMillis(500)); // a trim round after the last append
        bNetwork.restore();

        await().atMost(Duration.ofSeconds(30)).until(() -> Sender.from(onB, "a").contains("a:2000"));
        List<Object> received = Sender.from(onB, "a");
        assertThat(received.size()).as("the log kept only its last 100 rows").isLessThanOrEqualTo(101);
        // A's answer to B's presence Sync at B's start (one number of A's sequence) may be among the trimmed too
        assertThat(b.hub.stats().remoteMissed()).isBetween(2001L - received.size(), 2002L - received.size());
        List<Integer> numbers = received.stream().map(m -> Integer.parseInt(((String) m).substring(2))).toList();
        assertThat(numbers).isSorted().doesNotHaveDuplicates();
    }
}
