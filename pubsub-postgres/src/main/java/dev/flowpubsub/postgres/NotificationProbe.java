package dev.flowpubsub.postgres;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Starts a connection {@code LISTEN}ing and finds out whether notifications reach it. They do not behind a connection
 * pooler in transaction mode (PgBouncer's {@code pool_mode=transaction}), where the session that ran {@code LISTEN} is
 * not the one that would receive: so it first checks that the server session it talks to is the connection's own (a
 * pooler answers the login with a backend key of its own), then, after {@code LISTEN}, notifies itself once and waits
 * up to {@value #PROBE_MILLIS} ms for that notification.
 *
 * <p>Threading: stateless; on the thread that owns the connection.
 */
final class NotificationProbe {

    static final long PROBE_MILLIS = 3_000;

    private NotificationProbe() {
    }

    /**
     * {@code LISTEN}s on {@code channel} (a checked identifier) and returns whether notifications come back; when they
     * do not, the connection is left not listening, so that none pile up in the driver.
     */
    static boolean listen(Connection connection, String channel) throws SQLException {
        String probe = "probe:" + UUID.randomUUID();
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (Statement statement = connection.createStatement();
             ResultSet backend = statement.executeQuery("SELECT pg_backend_pid()")) {
            // a pooler answers the login with a backend key of its own: the server sessions behind it are not this
            // connection's, and the probe below could come back only because two statements met the same one
            if (backend.next() && backend.getInt(1) != pg.getBackendPID()) {
                return false;
            }
        }
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + channel);
        }
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, probe);
            notify.executeQuery().close();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PROBE_MILLIS);
        while (System.nanoTime() < deadline) {
            PGNotification[] notifications = pg.getNotifications(100);
            if (notifications != null) {
                for (PGNotification notification : notifications) {
                    if (probe.equals(notification.getParameter())) {
                        return true;
                    }
                }
            }
        }
        try (Statement unlisten = connection.createStatement()) {
            // the session listens, but its notifications did not come back in time: polling reads no notification,
            // and they must not pile up in the driver until the next reconnect
            unlisten.execute("UNLISTEN *");
        }
        return false;
    }
}
