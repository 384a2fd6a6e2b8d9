package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;
import dev.flowpubsub.spi.TransportHealth;
import dev.flowpubsub.spi.support.Arguments;
import dev.flowpubsub.spi.support.EngineConnection;
import org.jspecify.annotations.Nullable;

import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The log shared signals replicate through, on the transport's PostgreSQL: what {@link PostgresTransport#signalLog()}
 * returns, made when the transport starts and closed with it.
 *
 * <h2>How it works</h2>
 * Three tables beside the message log's, named after the transport's schema and table ({@code signals.sql}, see
 * {@link SignalTables}): a one-row head table (epoch, head, trim watermark), the entries by position, and one snapshot
 * per signal name. An append takes its positions by raising the head in its transaction, whose row lock serializes
 * appends, so positions are dense and become visible in order (see {@link SignalQueries}); a read is one statement,
 * so the head and watermark it answers are those of the entries it found. A new head row, made when it is missing,
 * has a new random epoch and an empty log: a database that lost its data, or tables made again, starts a new epoch at
 * position 1 without snapshots.
 *
 * <p>Appends {@code NOTIFY} a channel of their own; a read that finds nothing waits for a notification on the reading
 * connection, which {@code LISTEN}s where notifications come through (not behind a pooler in transaction mode, nor
 * on the application's pool), and otherwise looks again every {@code pollInterval}.
 *
 * <h2>Threads and connections</h2>
 * Two platform threads ({@link SignalWorker}), started by the first call: one reads, the other runs every other call
 * (appends, snapshots, trims), each in the order called, so a waiting read never holds up an append. With the
 * transport's own connections each holds one (the reader's from the listener URL on a {@code DataSource} that has
 * one); on the application's pool each borrows one per call, within the transport's {@code maxPoolConnections}.
 * Calls fail, never hang: each has a bound (its wait plus four command timeouts) after which its stage fails, and every
 * JDBC call has the command timeout as its network timeout, so a killed, frozen or restarted server fails calls until
 * it answers again; the hub retries them. Errors and health show the URL without secrets, and error texts are scrubbed
 * as the transport's are.
 *
 * <p>Threading: every method from any thread, returning at once (the stages complete on the log's threads); the hub
 * calls {@link #read} from one thread at a time and {@link #append} from one thread at a time. No lock.
 */
final class PostgresSignalLog implements SignalLog {

    /** Command timeouts a call may take besides its wait: a permit, a connection, the tables, the call itself. */
    private static final int TIMEOUTS_PER_CALL = 4;

    private final SignalTables tables;
    private final SignalQueries queries;
    private final SignalSession readerSession;
    private final SignalWorker reader;
    private final SignalWorker writer;
    private final String displayUrl;
    private final Duration commandTimeout;
    private final long pollMillis;
    private volatile boolean closed;
    /** The epoch of the last read: snapshots are stored for it only (a node that has not noticed a new one). */
    private volatile @Nullable String readEpoch;

    /**
     * @param readSource  where the reading thread's connection comes from (the transport's listening source)
     * @param writeSource where the other thread's comes from
     */
    PostgresSignalLog(ConnectionSource readSource, ConnectionSource writeSource, PostgresSettings settings,
                      String displayUrl, UnaryOperator<String> redactor, String nodeId) {
        this.tables = new SignalTables(settings.schema());
        this.commandTimeout = settings.engine().commandTimeout();
        this.queries = new SignalQueries(tables, commandTimeout.toMillis());
        this.displayUrl = displayUrl;
        this.pollMillis = settings.pollInterval().toMillis();
        SchemaInstaller installer = new SchemaInstaller(settings.schema(), settings.createSchema(), SignalTables.SCRIPT,
                queries::createHead);
        this.readerSession = new SignalSession(readSource, installer, settings.listen() ? tables.channel : null,
                pollMillis);
        this.reader = new SignalWorker("reader", "flow-pubsub-postgres-signal-reader-" + nodeId, readerSession,
                displayUrl, redactor, bound(Duration.ZERO));
        SignalSession writerSession = new SignalSession(writeSource, installer, null, pollMillis);
        this.writer = new SignalWorker("writer", "flow-pubsub-postgres-signal-writer-" + nodeId, writerSession,
                displayUrl, redactor, bound(Duration.ZERO));
    }

    private Duration bound(Duration wait) {
        return wait.plus(commandTimeout.multipliedBy(TIMEOUTS_PER_CALL));
    }

    @Override
    public CompletionStage<Long> append(String epoch, List<SignalEntry> entries) {
        Arguments.notNull(epoch, "epoch");
        List<SignalEntry> batch = List.copyOf(Arguments.notNull(entries, "entries"));
        return writer.submit("append", session -> queries.append(session.connection(), epoch, batch),
                bound(Duration.ZERO));
    }

    @Override
    public CompletionStage<SignalRead> read(long after, @Nullable String name, int limit, Duration wait) {
        if (after < 0) {
            throw new IllegalArgumentException("after must not be negative (got " + after + ")");
        }
        Arguments.positive(limit, "limit");
        if (Arguments.notNull(wait, "wait").isNegative()) {
            throw new IllegalArgumentException("wait must not be negative (got " + wait + ")");
        }
        return reader.submit("read", session -> readWaiting(session, after, name, limit, wait), bound(wait));
    }

    /**
     * Reads; while nothing is found, waits for a notification (or sleeps, polling) and reads again, up to
     * {@code wait}. A wait that ran out without a notification answers the last read.
     */
    private SignalRead readWaiting(SignalSession session, long after, @Nullable String name, int limit, Duration wait)
            throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            session.drain();
            SignalRead read = queries.read(session.connection(), after, name, limit);
            readEpoch = read.epoch();
            long left = deadline - System.nanoTime();
            if (!read.entries().isEmpty() || left <= 0 || closed) {
                return read;
            }
            boolean notified = session.pause(Math.min(Duration.ofNanos(left).toMillis() + 1, pollMillis));
            if (!notified && deadline - System.nanoTime() <= 0) {
                return read;
            }
        }
    }

    @Override
    public CompletionStage<Optional<SignalSnapshot>> snapshot(String name) {
        Arguments.notNull(name, "name");
        return writer.submit("snapshot read", session -> queries.snapshot(session.connection(), name),
                bound(Duration.ZERO));
    }

    @Override
    public CompletionStage<Boolean> putSnapshot(SignalSnapshot snapshot) {
        Arguments.notNull(snapshot, "snapshot");
        String known = readEpoch;
        return writer.submit("snapshot write", session -> queries.putSnapshot(session.connection(), snapshot, known),
                bound(Duration.ZERO));
    }

    @Override
    public CompletionStage<Void> trim(long position) {
        return writer.submit("trim", session -> {
            queries.trim(session.connection(), position);
            return Boolean.TRUE;
        }, bound(Duration.ZERO)).thenAccept(trimmed -> { });
    }

    /**
     * Up when both threads' last calls reached PostgreSQL; a thread whose last outcome is old or a failure pings it
     * in the background, so that a later look sees what is true now.
     */
    @Override
    public TransportHealth health() {
        if (!closed) {
            reader.refresh();
            writer.refresh();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", "postgres");
        details.put("url", displayUrl);
        details.put("log", tables.entries);
        details.put("reader", reader.state().name());
        details.put("writer", writer.state().name());
        details.put("wakeUp", readerSession.wakeUp());
        String writerError = writer.lastError();
        String error = writerError != null ? writerError : reader.lastError();
        if (closed) {
            details.put("lastError", "closed");
        } else if (error != null) {
            details.put("lastError", error);
        }
        boolean up = !closed && reader.state() == EngineConnection.State.UP
                && writer.state() == EngineConnection.State.UP;
        return up ? TransportHealth.up(details) : TransportHealth.down(details);
    }

    @Override
    public void close() {
        closed = true;
        reader.close();
        writer.close();
    }

    @Override
    public String toString() {
        return "PostgresSignalLog[" + displayUrl + ", " + tables.entries + "]";
    }
}
