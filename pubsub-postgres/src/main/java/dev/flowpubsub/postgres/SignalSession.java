package dev.flowpubsub.postgres;

import org.jspecify.annotations.Nullable;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The connection of one of the signal log's threads. A connection of the transport's own is held between calls; one
 * of the application's pool is borrowed for a call and given back after it, and while a read waits, so the log holds
 * none of the pool's between calls (the transport's {@code maxPoolConnections} bounds them with its own).
 *
 * <p>The reading thread's held connection {@code LISTEN}s on the appends' channel, if notifications reach it (see
 * {@link NotificationProbe}), and a waiting read wakes on one; otherwise a read waits by sleeping, and looks again
 * every {@code pollInterval}. A connection that failed is dropped, and the tables are looked for again on the next
 * one: they may have been dropped, or the server may be a new one.
 *
 * <p>Threading: its worker's thread; {@link #abort} and {@link #wakeUp} from any thread.
 */
final class SignalSession {

    private static final Logger LOG = LoggerFactory.getLogger(SignalSession.class);

    private final ConnectionSource source;
    private final SchemaInstaller installer;
    /** The channel to LISTEN on; {@code null} for a session that does not wait for appends. */
    private final @Nullable String channel;
    private final long pollMillis;
    /** Worker thread: the connection, {@code null} when none is open; volatile so that {@link #abort} can end it. */
    private volatile @Nullable Connection connection;
    /** Worker thread: whether {@link #connection} gets notifications. */
    private boolean listening;
    private boolean pollingLogged;
    private volatile String wakeUp = "not connected yet";

    SignalSession(ConnectionSource source, SchemaInstaller installer, @Nullable String channel, long pollMillis) {
        this.source = source;
        this.installer = installer;
        this.channel = channel;
        this.pollMillis = pollMillis;
    }

    /** The connection held, or a new one, with the tables known to exist (and listening, for the reader). */
    Connection connection() throws SQLException {
        Connection open = connection;
        if (open != null) {
            return open;
        }
        open = installer.open(source);
        connection = open;
        listening = false;
        if (channel != null && !source.pooled()) {
            listening = NotificationProbe.listen(open, channel);
            if (!listening && !pollingLogged) {
                pollingLogged = true;
                LOG.warn("flow-pubsub: LISTEN/NOTIFY does not reach the shared signals' reading connection (behind a "
                        + "pooler in transaction mode?): their reads look for new entries every {} ms instead",
                        pollMillis);
            }
        }
        wakeUp = listening ? "listen" : "poll";
        return open;
    }

    /** Whether a connection is open now: held from an earlier call. */
    boolean isOpen() {
        return connection != null;
    }

    /** Forgets the notifications that came before now: what they announce, the next query finds. */
    void drain() throws SQLException {
        Connection open = connection;
        if (listening && open != null) {
            open.unwrap(PGConnection.class).getNotifications(); // does not wait
        }
    }

    /**
     * Waits up to {@code millis} (at least 1) for a notification, on a listening connection; otherwise gives a pool's
     * connection back and sleeps. Returns whether a notification came.
     */
    boolean pause(long millis) throws SQLException, InterruptedException {
        Connection open = connection;
        if (listening && open != null) {
            return open.unwrap(PGConnection.class).getNotifications((int) Math.clamp(millis, 1, pollMillis)) != null;
        }
        release();
        Thread.sleep(Math.max(1, millis));
        return false;
    }

    /** After a call: a connection of the application's pool goes back to it (it never listens). */
    void release() {
        if (source.pooled()) {
            close();
        }
    }

    /** After a failure: the connection goes, and the next one looks for the tables again. */
    void drop() {
        close();
        installer.recheck();
    }

    /** Closes the connection, if one is open. */
    void close() {
        ConnectionSource.closeQuietly(connection);
        connection = null;
        listening = false;
    }

    /**
     * From the closing thread: aborts a connection of the transport's own, so that a call blocked on it ends now.
     * One of the application's pool is not aborted (the pool would log it as broken): its call ends by its timeout.
     */
    void abort() {
        Connection open = connection;
        if (open != null && !source.pooled()) {
            try {
                open.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // closed already
            }
        }
    }

    /** {@code listen} or {@code poll}: how a waiting read learns of new entries. */
    String wakeUp() {
        return wakeUp;
    }
}
