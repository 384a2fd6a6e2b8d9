package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.support.Backoff;
import dev.flowpubsub.spi.support.EngineConnection;
import dev.flowpubsub.spi.support.EngineLoop;
import dev.flowpubsub.spi.support.Outbox;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Appends this node's envelopes to the log, in order, from a bounded outbox, in one transaction per batch.
 *
 * <h2>Why ids commit in order</h2>
 * Each batch's transaction first takes {@code pg_advisory_xact_lock} on the log's key (and queues its
 * {@code NOTIFY}), then inserts (the identity column hands out the ids) and commits: three round trips; PostgreSQL releases the lock only after the commit is visible. So
 * a transaction that gets larger ids can only insert after every transaction with smaller ids has committed (or
 * rolled back, leaving a gap no one will fill), and a reader that reads {@code id > last} never passes a row that
 * commits later. The cost: appends of all nodes are serialized, one batch at a time; batching keeps that cheap. A
 * writer stalled inside its transaction cannot hold the others up for longer than {@code commandTimeout}: the
 * server ends such a session (see {@link PostgresSchema#appendLockSql}).
 *
 * <h2>Retries</h2>
 * A batch commits whole or not at all. A retry after a lost reply to {@code COMMIT} inserts nothing twice: the log
 * is unique on (origin, sequence) and the insert skips conflicts, as does the history's insert.
 *
 * <h2>Bounds</h2>
 * The outbox holds at most {@code capacity} envelopes and {@code maxBytes} bytes of payload; what does not fit while
 * PostgreSQL is away reaches this node's pages only, and is counted ({@code droppedWhileDown}) and logged once per
 * outage or overload, by this thread.
 *
 * <p>Threading: {@link #offer} from the hub's send path (never blocks); {@link #run} on the writer thread, which
 * holds its connection while it has one (or, on the application's pool, borrows one per batch).
 */
final class PostgresWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresWriter.class);

    /** The format this release writes and reads; a reader skips (and counts) rows of another. */
    static final int FORMAT_VERSION = 1;

    private static final int WRITE_BATCH = 500;
    private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final ConnectionSource source;
    private final SchemaInstaller installer;
    private final PostgresSettings settings;
    private final PostgresSchema schema;
    private final EngineConnection state;
    private final TransportContext context;
    private final String displayUrl;
    private final PostgresRetention retention;
    private final Outbox outbox;
    private final EngineLoop loop;
    /** Writer thread: the envelopes taken from the outbox and not appended yet, in order. */
    private final List<TransportEnvelope> batch = new ArrayList<>(WRITE_BATCH);
    private volatile boolean closed;
    /** Writer thread: the connection it holds, {@code null} after a failure or given back to the application's pool. */
    private @Nullable Connection connection;
    private long lastCheckNanos;

    PostgresWriter(ConnectionSource source, SchemaInstaller installer, PostgresSettings settings,
                   EngineConnection state, TransportContext context, String displayUrl) {
        this.source = source;
        this.installer = installer;
        this.settings = settings;
        this.schema = settings.schema();
        this.state = state;
        this.context = context;
        this.displayUrl = displayUrl;
        this.retention = new PostgresRetention(settings);
        this.outbox = new Outbox("PostgreSQL", displayUrl, settings.engine().outboxCapacity(),
                settings.engine().outboxMaxBytes(), LOG);
        this.loop = new EngineLoop(state, EngineConnection.Side.WRITER, Backoff.RECONNECT, this::stopping,
                this::dropConnection);
    }

    /** Queues an envelope for PostgreSQL; drops and counts it if the outbox is full (in number or in bytes). */
    void offer(TransportEnvelope envelope) {
        if (!closed) {
            outbox.offer(envelope);
        }
    }

    int waiting() {
        return outbox.size();
    }

    int buffered() {
        return outbox.buffered();
    }

    long bufferedBytes() {
        return outbox.bufferedBytes();
    }

    long dropped() {
        return outbox.dropped();
    }

    @Override
    public void run() {
        loop.run(() -> !closed || ((!batch.isEmpty() || !outbox.isEmpty())
                && state.writer() == EngineConnection.State.UP), this::writeOnce);
        if (!batch.isEmpty() || !outbox.isEmpty()) {
            LOG.warn("flow-pubsub: closing with {} message(s) not yet written to PostgreSQL {}",
                    batch.size() + outbox.size(), displayUrl);
        }
        ConnectionSource.closeQuietly(connection);
    }

    /** Appends the next batch, or checks PostgreSQL while there is none; see the class comment. */
    private void writeOnce() throws SQLException, InterruptedException {
        outbox.reportOverflow(); // here, not on the sender's thread: once per outage or overload
        if (batch.isEmpty()) {
            TransportEnvelope first = outbox.poll(200, TimeUnit.MILLISECONDS);
            if (first == null) {
                if (System.nanoTime() - lastCheckNanos > IDLE_CHECK_NANOS) {
                    lastCheckNanos = System.nanoTime();
                    Connection open = opened();
                    check(open); // keeps health true to the facts while nothing is sent
                    loop.up();
                    retention.maybeTrim(open);
                    connection = source.giveBackIfPooled(open);
                }
                return;
            }
            batch.add(first);
            outbox.drainTo(batch, WRITE_BATCH - 1);
        }
        Connection open = opened();
        append(open, batch);
        outbox.written(batch, batch.size());
        loop.succeeded();
        retention.maybeTrim(open);
        if (outbox.isEmpty() || source.contended()) {
            connection = source.giveBackIfPooled(open); // idle, or history reads wait for it
        }
    }

    /** The connection held, or a new one (the tables known to exist on it). */
    private Connection opened() throws SQLException {
        Connection open = connection;
        if (open == null) {
            open = installer.open(source);
            connection = open;
        }
        return open;
    }

    /**
     * Whether a failure ends the loop rather than counting as an outage: while closing, unless PostgreSQL was up until
     * then (that failure is told, and then the loop ends without retrying).
     */
    private boolean stopping() {
        return closed && state.writer() != EngineConnection.State.UP;
    }

    /** After a failure: the next turn opens a new connection. */
    private void dropConnection() {
        ConnectionSource.closeQuietly(connection);
        connection = null;
    }

    private static void check(Connection connection) throws SQLException {
        try (PreparedStatement ping = connection.prepareStatement("SELECT 1");
             ResultSet result = ping.executeQuery()) {
            result.next();
        }
    }

    /** Appends the batch in one transaction under the log's append lock (see the class comment). */
    private void append(Connection connection, List<TransportEnvelope> batch) throws SQLException {
        connection.setAutoCommit(false);
        try {
            try (Statement lock = connection.createStatement()) {
                // the lock is held until the commit, and the NOTIFY in the same statement goes out with it
                lock.execute(schema.appendLockSql(settings.engine().commandTimeout().toMillis()));
            }
            Map<String, Integer> historyTopics = new LinkedHashMap<>();
            try (PreparedStatement insert = connection.prepareStatement(schema.insertSql())) {
                for (TransportEnvelope envelope : batch) {
                    insert.setInt(1, FORMAT_VERSION);
                    insert.setString(2, envelope.originNode());
                    insert.setLong(3, envelope.sequence());
                    if (envelope.topic() == null) {
                        insert.setNull(4, Types.BINARY);
                    } else {
                        insert.setBytes(4, envelope.topic().getBytes(StandardCharsets.UTF_8));
                        int keep = context.historySize(envelope.topic());
                        if (keep > 0) {
                            historyTopics.put(envelope.topic(), keep);
                        }
                    }
                    insert.setLong(5, envelope.sentAtMillis());
                    insert.setBytes(6, envelope.payload());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            if (!historyTopics.isEmpty()) {
                keepHistory(connection, batch, historyTopics);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            PostgresSchema.rollbackQuietly(connection);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Copies the batch's messages on topics with history to the history table, and keeps each topic's newest. */
    private void keepHistory(Connection connection, List<TransportEnvelope> batch, Map<String, Integer> topics)
            throws SQLException {
        try (PreparedStatement copy = connection.prepareStatement(schema.insertHistorySql())) {
            for (TransportEnvelope envelope : batch) {
                if (envelope.topic() != null && topics.containsKey(envelope.topic())) {
                    copy.setString(1, envelope.originNode());
                    copy.setLong(2, envelope.sequence());
                    copy.addBatch();
                }
            }
            copy.executeBatch();
        }
        try (PreparedStatement trim = connection.prepareStatement(schema.trimHistoryByCountSql())) {
            for (Map.Entry<String, Integer> topic : topics.entrySet()) {
                byte[] name = topic.getKey().getBytes(StandardCharsets.UTF_8);
                trim.setBytes(1, name);
                trim.setBytes(2, name);
                trim.setInt(3, topic.getValue() - 1);
                trim.addBatch();
            }
            trim.executeBatch();
        }
    }

    /** Stops taking envelopes; the loop flushes what it can while PostgreSQL is up, then ends. */
    void close() {
        closed = true;
    }
}
