package dev.flowpubsub.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Properties;
import java.util.concurrent.Executor;
import javax.sql.DataSource;

/**
 * Where the transport's connections come from: the application's {@link DataSource} (a pool), or pgjdbc's driver
 * with a URL and credentials (connections of the transport's own). Every connection gets a network timeout, so a
 * frozen server (or a cut network) fails a call after {@code timeoutMillis} instead of blocking its thread.
 *
 * <p>Threading: any thread; holds no connection itself.
 */
final class ConnectionSource {

    private static final Executor DIRECT = Runnable::run;

    private final DataSource dataSource;
    private final String url;
    private final Properties properties;
    private final int timeoutMillis;

    private ConnectionSource(DataSource dataSource, String url, Properties properties, int timeoutMillis) {
        this.dataSource = dataSource;
        this.url = url;
        this.properties = properties;
        this.timeoutMillis = timeoutMillis;
    }

    static ConnectionSource pooled(DataSource dataSource, int timeoutMillis) {
        return new ConnectionSource(dataSource, null, null, timeoutMillis);
    }

    static ConnectionSource direct(String url, String username, String password, int timeoutMillis) {
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
        return new ConnectionSource(null, url, properties, timeoutMillis);
    }

    /** Whether connections come from the application's pool: then the transport returns them between uses. */
    boolean pooled() {
        return dataSource != null;
    }

    /** A connection in auto-commit mode, with the network timeout set. */
    Connection open() throws SQLException {
        Connection connection = dataSource != null ? dataSource.getConnection()
                : DriverManager.getConnection(url, properties);
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

    static void closeQuietly(AutoCloseable closeable) {
        if (closeable != null) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing a broken connection
            }
        }
    }
}
