package dev.flowpubsub.postgres;

import ch.qos.logback.classic.Level;
import dev.flowpubsub.Inbox;
import dev.flowpubsub.JsonCodec;
import dev.flowpubsub.testsupport.LogCapture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a node does with rows in the log that it did not expect (written by another release, or by hand): count them
 * ({@code remoteRejected}), log each once with its id, skip them and read on.
 */
@Tag("integration")
class PostgresRowsTest {

    @RegisterExtension
    final PostgresTestbed testbed = new PostgresTestbed();

    @RegisterExtension
    final LogCapture logs = LogCapture.of("dev.flowpubsub", Level.WARN);

    private static PostgresTransport.Builder quick(PostgresTransport.Builder settings) {
        return settings.commandTimeout(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(200));
    }

    private static byte[] encoded(String message) {
        return JsonCodec.allowing().encode(message);
    }

    /** Appends a row to the log by SQL, as another release (or a hand) would; returns its id. */
    private static long insert(Connection connection, int format, String origin, long sequence, String topic,
                               byte[] payload) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO flow_pubsub_log"
                + " (format, origin, sequence, topic, sent_at, payload) VALUES (?, ?, ?, ?, ?, ?) RETURNING id")) {
            insert.setInt(1, format);
            insert.setString(2, origin);
            insert.setLong(3, sequence);
            insert.setBytes(4, topic.getBytes(StandardCharsets.UTF_8));
            insert.setLong(5, System.currentTimeMillis());
            insert.setBytes(6, payload);
            try (ResultSet id = insert.executeQuery()) {
                id.next();
                return id.getLong(1);
            }
        }
    }

    /**
     * The one line saying that {@code node} skipped the entry {@code id} (not one whose id starts the same, nor another
     * node's: every node reads the log), failing unless there is exactly one.
     */
    private String loggedOnce(PostgresNode node, String id) {
        List<LogCapture.Line> lines = logs.containing("node " + node.hub.nodeId().orElseThrow() + " skipped entry " + id
                + " from the transport");
        assertThat(lines).as("entry %s logged once", id).hasSize(1);
        return lines.getFirst().text();
    }

    @Test
    void rowsOfAFormatVersionThisNodeDoesNotRead_areSkippedCountedAndLoggedWithTheirId_andTheRowsAfterThemAreRead()
            throws Exception {
        PostgresNode sender = testbed.node(PostgresRowsTest::quick);
        PostgresNode node = testbed.node(PostgresRowsTest::quick);
        Inbox inbox = node.page("t");
        sender.hub.sendAllOnTopic("t", "before");
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.messages.size() == 1);

        Connection sql = testbed.connect();
        // rows a node of a newer (or an unknown older) release would write: well formed, but of another format
        long newer = insert(sql, PostgresWriter.FORMAT_VERSION + 1, "newer-node", 1, "t",
                encoded("from a newer release"));
        long older = insert(sql, 0, "older-node", 1, "t", encoded("from format 0"));
        sender.hub.sendAllOnTopic("t", "after");

        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.messages.size() >= 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> node.hub.stats().remoteRejected() == 2);
        assertThat(inbox.messages).containsExactly("before", "after");
        assertThat(loggedOnce(node, Long.toString(newer)))
                .contains("format version " + (PostgresWriter.FORMAT_VERSION + 1));
        assertThat(loggedOnce(node, Long.toString(older))).contains("format version 0");
        assertThat(node.hub.stats().remoteMissed()).isZero();
        assertThat(node.hub.transportHealth().orElseThrow().up()).isTrue();
    }

    @Test
    void malformedRows_areSkippedCountedAndLoggedOnceWithTheirId_andTheNodeKeepsReading() throws Exception {
        PostgresNode sender = testbed.node(PostgresRowsTest::quick);
        PostgresNode node = testbed.node(PostgresRowsTest::quick);
        Inbox inbox = node.page("t");
        sender.hub.sendAllOnTopic("t", "before");
        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.messages.size() == 1);

        Connection sql = testbed.connect();
        int format = PostgresWriter.FORMAT_VERSION;
        // the schema refuses a NULL payload or origin; these it takes. Skipped by the transport, known by their log id:
        long oversized = insert(sql, format, "big-node", 1, "t", new byte[70_000]); // over the hub's 64 KiB
        long sequenceZero = insert(sql, format, "zero-node", 0, "t", encoded("sequence 0"));
        // skipped by the hub once decoded, known by origin#sequence:
        insert(sql, format, "intruder", 1, "t", "garbage".getBytes(StandardCharsets.UTF_8));
        insert(sql, format, "intruder", 2, "t",
                "{\"t\":\"java.io.File\",\"v\":\"/etc/passwd\"}".getBytes(StandardCharsets.UTF_8));
        insert(sql, format, "intruder", 3, "t", new byte[0]);
        insert(sql, format, "intruder", 4, " ", encoded("on a blank topic"));
        sender.hub.sendAllOnTopic("t", "after");

        await().atMost(Duration.ofSeconds(20)).until(() -> inbox.messages.size() >= 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> node.hub.stats().remoteRejected() == 6);
        assertThat(inbox.messages).containsExactly("before", "after");
        assertThat(loggedOnce(node, Long.toString(oversized))).contains("70000 bytes is over the limit");
        assertThat(loggedOnce(node, Long.toString(sequenceZero))).contains("sequence must be at least 1");
        assertThat(loggedOnce(node, "intruder#1")).contains("not JSON");
        assertThat(loggedOnce(node, "intruder#2")).contains("not allowed");
        assertThat(loggedOnce(node, "intruder#3")).contains("empty");
        assertThat(loggedOnce(node, "intruder#4")).contains("blank topic");
        assertThat(node.hub.stats().remoteMissed()).isZero();
        assertThat(node.hub.transportHealth().orElseThrow().up()).isTrue();
    }
}
