package dev.flowpubsub.postgres;

import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
import org.postgresql.PGConnection;
import org.postgresql.PGProperty;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;

/**
 * Where the transport's connections come from: the application's {@link DataSource} (a pool), or pgjdbc's driver
 * with a URL and credentials (connections of the transport's own). Every connection gets a network timeout, so a
 * frozen server (or a cut network) fails a call after {@code timeoutMillis} instead of blocking its thread.
 *
 * <p>On the application's pool the transport holds at most {@code maxConnections} of its connections at once, the
 * reader's included: a permit is taken with each connection and given back when it is closed, so a burst of history
 * reads or a backlog of writes never starves the application. With its own connections each of the transport's
 * three threads (reader, writer, history reader) holds at most one.
 *
 * <p>Threading: any thread; holds no connection itself.
 */
final class ConnectionSource {

    private static final Executor DIRECT = Runnable::run;

    /** The application's pool; {@code null} for connections of the transport's own. */
    private final @Nullable DataSource dataSource;
    /** The URL of the transport's own connections; {@code null} on the application's pool. */
    private final @Nullable String url;
    private final @Nullable Properties properties;
    private final int timeoutMillis;
    /** The connections of the application's pool this transport may still take; {@code null} for its own. */
    private final @Nullable Semaphore permits;
    private final int maxConnections;
    /** Whether the URL sets {@code prepareThreshold} itself: then it is the application's to choose, and stays. */
    private final boolean ownPrepareThreshold;

    private ConnectionSource(@Nullable DataSource dataSource, @Nullable String url, @Nullable Properties properties,
                             int timeoutMillis,
                             int maxConnections, boolean ownPrepareThreshold) {
        this.ownPrepareThreshold = ownPrepareThreshold;
        this.dataSource = dataSource;
        this.url = url;
        this.properties = properties;
        this.timeoutMillis = timeoutMillis;
        this.maxConnections = maxConnections;
        this.permits = dataSource == null ? null : new Semaphore(maxConnections, true);
    }

    /**
     * Connections from the application's pool, at most {@code maxConnections} at once: at least 2 when the reader
     * takes one of them too ({@code readerHasItsOwn} false), as writes and history reads need another.
     */
    static ConnectionSource pooled(DataSource dataSource, int timeoutMillis, int maxConnections,
                                   boolean readerHasItsOwn) {
        int least = readerHasItsOwn ? 1 : 2;
        if (maxConnections < least) {
            throw new IllegalArgumentException("maxPoolConnections (" + maxConnections + ") must be at least " + least
                    + (readerHasItsOwn ? "" : ": without a listenerUrl the reader holds one of the pool's connections, "
                    + "and writes and history reads need another"));
        }
        return new ConnectionSource(dataSource, null, null, timeoutMillis, maxConnections, false);
    }

    static ConnectionSource direct(String url, @Nullable String username, @Nullable String password,
                                   int timeoutMillis) {
        Properties inUrl = Driver.parseURL(url, null);
        boolean ownPrepareThreshold = inUrl != null && inUrl.containsKey(PGProperty.PREPARE_THRESHOLD.getName());
        Properties properties = new Properties();
        if (username != null) {
            properties.setProperty("user", username);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        int seconds = Math.max(1, (timeoutMillis + 999) / 1000);
        properties.setProperty("connectTimeout", Integer.toString(seconds));
        properties.setProperty("loginTimeout", Integer.toString(seconds));
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("ApplicationName", "flow-pubsub");
        // unnamed statements only, COMMIT included, until the connection is known to be a server session of its own
        // (see open()): pgjdbc names a statement after 5 runs (and its COMMIT at once), and a named one lives on one
        // server session; behind a pooler in transaction mode (PgBouncer before 1.21) the next transaction may run on
        // another, which has no such statement or another one of that name
        properties.setProperty("prepareThreshold", "0");
        return new ConnectionSource(null, url, properties, timeoutMillis, 1, ownPrepareThreshold);
    }

    /**
     * Whether another of the transport's threads waits for one of its pool connections: then one that holds a
     * connection between uses (the history reader between reads, the writer between batches) gives it back now.
     */
    boolean contended() {
        return permits != null && permits.hasQueuedThreads();
    }

    /** Whether connections come from the application's pool: then the transport returns them between uses. */
    boolean pooled() {
        return dataSource != null;
    }

    /**
     * Gives {@code connection} back to the application's pool, returning null, if connections come from it; else
     * returns it, to be kept.
     */
    @Nullable Connection giveBackIfPooled(@Nullable Connection connection) {
        if (connection != null && pooled()) {
            closeQuietly(connection); // back to the application's pool
            return null;
        }
        return connection;
    }

    /**
     * A connection in auto-commit mode, with the network timeout set. From the application's pool, it waits for one of
     * the transport's permits first (as long as two calls may take, the longest another of its threads holds one).
     */
    Connection open() throws SQLException {
        DataSource pool = dataSource;
        Semaphore limit = permits;
        if (pool == null || limit == null) {
            Connection connection = prepare(DriverManager.getConnection(url, properties));
            return ownPrepareThreshold ? connection : namedStatementsIfOwnSession(connection);
        }
        try {
            if (!limit.tryAcquire(2L * timeoutMillis, TimeUnit.MILLISECONDS)) {
                throw new SQLTransientConnectionException("the " + maxConnections + " connection(s) of the "
                        + "application's pool this transport may hold stayed in use for " + 2L * timeoutMillis + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SQLTransientConnectionException("interrupted while waiting for a connection", e);
        }
        try {
            return permitted(prepare(pool.getConnection()), limit);
        } catch (SQLException | RuntimeException | Error e) {
            limit.release();
            throw e;
        }
    }

    private Connection prepare(Connection connection) throws SQLException {
        try {
            connection.setNetworkTimeout(DIRECT, timeoutMillis);
            if (!connection.getAutoCommit()) {
                connection.setAutoCommit(true);
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /**
     * A connection of the transport's own that talks to a server session of its own (not through a pooler, which
     * answers the login with a backend key of its own) may use named server-side statements again, pgjdbc's default:
     * they save the server parsing and planning the transport's few statements at every run.
     */
    private static Connection namedStatementsIfOwnSession(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet backend = statement.executeQuery("SELECT pg_backend_pid()")) {
            PGConnection pg = connection.unwrap(PGConnection.class);
            if (backend.next() && backend.getInt(1) == pg.getBackendPID()) {
                pg.setPrepareThreshold(PGProperty.PREPARE_THRESHOLD.getInt(new Properties()));
            }
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw e;
        }
    }

    /** The pool's connection, giving its permit back when closed or aborted (once). */
    private static Connection permitted(Connection pooled, Semaphore permits) {
        AtomicBoolean released = new AtomicBoolean();
        return (Connection) Proxy.newProxyInstance(ConnectionSource.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                    try {
                        return method.invoke(pooled, arguments);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    } finally {
                        if ((method.getName().equals("close") || method.getName().equals("abort"))
                                && released.compareAndSet(false, true)) {
                            permits.release();
                        }
                    }
                });
    }

    static void closeQuietly(@Nullable AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing a broken connection
            }
        }
    }
}
