package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.support.Backoff;
import dev.flowpubsub.spi.support.EngineConnection;
import dev.flowpubsub.spi.support.EngineLoop;
import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Reads the log from the last id this node has seen ({@code id > last}, in id order, in batches), on one connection
 * of its own, and hands each row to the hub in log order. After a reconnect it reads on from the same id, so it gets
 * everything appended meanwhile. While the hub's inbox is full, handing a row over waits, and so does reading.
 *
 * <h2>Waking up</h2>
 * The connection {@code LISTEN}s on the log's channel; writers {@code NOTIFY} it in their appending transaction, so
 * the reader reads as soon as a batch commits. It also reads every {@code pollInterval} without a notification: a
 * safety net, and the only way when notifications do not come through. That is the case behind a connection pooler
 * in transaction mode (PgBouncer's {@code pool_mode=transaction}), where the session that ran {@code LISTEN} is not
 * the one that would receive: so the reader first checks that the server session it talks to is its connection's own
 * (a pooler answers the login with a backend key of its own), then, after {@code LISTEN}, notifies itself once; if
 * either fails (the notification not back within a few seconds) it logs why and polls only, until it reconnects.
 * With {@code listen(false)} it never listens. ({@link NotificationProbe} does the check.)
 *
 * <p>Threading: {@link #run} on the reader thread; {@link #handedOver} and {@link #wakeUp} from any thread.
 */
final class PostgresReader implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresReader.class);

    static final int READ_BATCH = 500;

    private final ConnectionSource source;
    private final SchemaInstaller installer;
    private final PostgresSettings settings;
    private final PostgresSchema schema;
    private final EngineConnection state;
    private final TransportContext context;
    private final EngineLoop loop;
    private @Nullable Connection firstConnection;
    /**
     * The log id of the last row this node has handed to the hub (or skipped), from the one it started reading after:
     * what a history read reaches up to, so that everything later comes through the log.
     */
    private volatile @Nullable Long handedOver;
    private volatile String wakeUp = "not connected yet";
    private volatile boolean closed;
    /**
     * Reader thread: the connection it reads on, {@code null} after a failure; volatile so that {@link #close} can
     * abort a wait for a notification on it.
     */
    private volatile @Nullable Connection connection;
    /** Reader thread: whether {@link #connection} gets notifications, and whether that was found out yet. */
    private boolean listening;
    private boolean probed;
    private long lastId;
    private boolean probeFailedLogged;

    PostgresReader(ConnectionSource source, SchemaInstaller installer, PostgresSettings settings,
                   EngineConnection state, TransportContext context) {
        this.source = source;
        this.installer = installer;
        this.settings = settings;
        this.schema = settings.schema();
        this.state = state;
        this.context = context;
        this.loop = new EngineLoop(state, EngineConnection.Side.READER, Backoff.RECONNECT, () -> closed,
                this::dropConnection);
    }

    /**
     * Finds where to start reading, now, so that everything published after the hub is built reaches this node; if
     * PostgreSQL is unreachable, {@link #run} finds it when it is back.
     */
    void findStart() {
        try {
            Connection first = installer.open(source);
            firstConnection = first;
            lastId = newestId(first);
            handedOver = lastId;
        } catch (SQLException | RuntimeException unreachable) {
            state.down(EngineConnection.Side.READER, unreachable);
            ConnectionSource.closeQuietly(firstConnection);
            firstConnection = null;
        }
    }

    /** The log id of the last row handed to the hub, or {@code null} before this node first reached PostgreSQL. */
    @Nullable Long handedOver() {
        return handedOver;
    }

    /** {@code listen} or {@code poll}: how this reader learns of new rows now. */
    String wakeUp() {
        return wakeUp;
    }

    private long newestId(Connection connection) throws SQLException {
        try (PreparedStatement newest = connection.prepareStatement(schema.newestIdSql());
             ResultSet result = newest.executeQuery()) {
            result.next();
            return result.getLong(1);
        }
    }

    @Override
    public void run() {
        connection = firstConnection;
        firstConnection = null;
        loop.run(() -> !closed, this::readOnce);
        giveBack(connection); // not listening any more, if it goes back to the application's pool
    }

    /** Reads what was appended since {@link #lastId}, then waits for a notification or the poll interval. */
    private void readOnce() throws SQLException, InterruptedException {
        Connection open = connection;
        if (open == null) {
            open = installer.open(source);
            connection = open;
            listening = false;
            probed = false;
        }
        if (handedOver == null) {
            lastId = newestId(open);
            handedOver = lastId;
        }
        if (settings.listen() && !probed) {
            // once per connection: a failed probe means this connection never gets notifications (a pooler
            // in transaction mode), and probing again at every poll would add its wait to every read
            probed = true;
            listening = listen(open);
        }
        wakeUp = listening ? "listen" : "poll";
        while (readBatch(open) == READ_BATCH && !closed) {
            loop.up(); // a long catch-up is not an outage
        }
        loop.succeeded();
        if (listening) {
            open.unwrap(PGConnection.class).getNotifications((int) settings.pollInterval().toMillis());
        } else {
            Thread.sleep(settings.pollInterval());
        }
    }

    /** After a failure: the next turn opens a new connection (and listens again). */
    private void dropConnection() {
        giveBack(connection);
        connection = null;
    }

    /** LISTENs, then checks a notification of its own comes back (see the class comment). */
    private boolean listen(Connection connection) throws SQLException {
        if (NotificationProbe.listen(connection, schema.channel)) {
            probeFailedLogged = false;
            return true;
        }
        warnPolling();
        return false;
    }

    /** Says once (until notifications work again) that this reader polls. */
    private void warnPolling() {
        if (!probeFailedLogged) {
            probeFailedLogged = true;
            LOG.warn("flow-pubsub: LISTEN/NOTIFY does not reach this node's listening connection (behind a pooler in "
                    + "transaction mode, such as PgBouncer's pool_mode=transaction?): reading the log every {} ms "
                    + "instead. Give the transport a direct connection to PostgreSQL for instant wake-ups, or set "
                    + "listen(false) (pubsub.postgres.listen=false) to poll without trying",
                    settings.pollInterval().toMillis());
        }
    }

    /** Reads the next rows after {@link #lastId} and hands them over; returns how many it read. */
    private int readBatch(Connection connection) throws SQLException {
        int count = 0;
        try (PreparedStatement read = connection.prepareStatement(schema.readSql())) {
            int limit = context.maxPayloadBytes();
            read.setInt(1, limit);
            read.setInt(2, limit);
            read.setInt(3, limit);
            read.setLong(4, lastId);
            read.setInt(5, READ_BATCH);
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    count++;
                    lastId = rows.getLong(1);
                    receive(rows);
                    handedOver = lastId;
                }
            }
        }
        return count;
    }

    private void receive(ResultSet row) throws SQLException {
        String id = Long.toString(row.getLong(1));
        int format = row.getInt(2);
        if (format != PostgresWriter.FORMAT_VERSION) {
            context.rejected(id, "format version " + format + ", which this node does not read (it reads version "
                    + PostgresWriter.FORMAT_VERSION + "): a node of another release wrote it");
            return;
        }
        byte[] payload = row.getBytes(7);
        if (payload == null) {
            long size = row.getLong(8);
            context.rejected(id, size > context.maxPayloadBytes() ? "payload of " + size + " bytes is over the limit of "
                    + context.maxPayloadBytes() : "origin or topic over " + context.maxPayloadBytes() + " bytes");
            return;
        }
        TransportEnvelope envelope;
        try {
            byte[] topic = row.getBytes(5);
            envelope = new TransportEnvelope(row.getString(3), row.getLong(4),
                    topic == null ? null : new String(topic, StandardCharsets.UTF_8), payload,
                    Math.max(0, row.getLong(6)));
        } catch (IllegalArgumentException | NullPointerException malformed) {
            context.rejected(id, String.valueOf(malformed.getMessage()));
            return;
        }
        context.receive(envelope);
    }

    /**
     * Closes the reader's connection after a failure or at the end. One of the application's pool goes back to it: if
     * it still works, it must not go on listening there, where notifications would pile up in a connection the
     * application uses; one that cannot even stop listening is broken, and the pool drops it.
     */
    private void giveBack(@Nullable Connection connection) {
        if (connection != null && source.pooled()) {
            try (Statement unlisten = connection.createStatement()) {
                unlisten.execute("UNLISTEN *");
            } catch (SQLException | RuntimeException broken) {
                try {
                    connection.abort(Runnable::run);
                } catch (SQLException | RuntimeException ignored) {
                    // aborted already
                }
            }
        }
        ConnectionSource.closeQuietly(connection);
    }

    /**
     * Stops the loop, aborting the connection so a wait for a notification ends now rather than at its timeout; one of
     * the application's pool is not aborted (the pool would log it as broken): the loop ends within a poll interval
     * and gives it back.
     */
    void close() {
        closed = true;
        Connection connection = this.connection;
        if (connection != null && !source.pooled()) {
            try {
                connection.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // closed already
            }
        }
    }
}
