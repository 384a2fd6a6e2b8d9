package dev.flowpubsub.postgres;

import dev.flowpubsub.PubSubHubBuilder;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real PostgreSQL server for each test, and the nodes and other things the test opens on it, closed after the
 * test in the reverse order, then PostgreSQL (resumed first if the test froze it).
 *
 * <pre>{@code @RegisterExtension final PostgresTestbed testbed = new PostgresTestbed();}</pre>
 */
final class PostgresTestbed implements BeforeEachCallback, AfterEachCallback {

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private PostgresServer postgres;

    @Override
    public void beforeEach(ExtensionContext context) {
        postgres = PostgresServer.start();
    }

    PostgresServer postgres() {
        return postgres;
    }

    /** A node on this test's PostgreSQL, closed after the test. */
    PostgresNode node() {
        return node(transport -> transport);
    }

    /** A node on this test's PostgreSQL with its own transport settings, closed after the test. */
    PostgresNode node(UnaryOperator<PostgresTransport.Builder> settings) {
        return node(postgres.jdbcUrl(), settings, hub -> hub);
    }

    /** A node on the PostgreSQL at {@code jdbcUrl} (a proxy in front of this test's), closed after the test. */
    PostgresNode node(String jdbcUrl, UnaryOperator<PostgresTransport.Builder> settings,
                      UnaryOperator<PubSubHubBuilder> hubSettings) {
        return closeLater(new PostgresNode(jdbcUrl, settings, hubSettings));
    }

    /** A superuser's connection to this test's PostgreSQL (auto-commit), closed after the test. */
    Connection connect() throws SQLException {
        return closeLater(DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(), postgres.password()));
    }

    /** Runs {@code sql} as the superuser, on a connection of its own; returns how many rows it changed. */
    int execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(),
                postgres.password()); Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    /** The number {@code sql} answers (its first row's first column), read as the superuser: a count, an id. */
    long number(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl(), postgres.username(),
                postgres.password()); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Closes {@code closeable} after the test, before whatever was opened before it. */
    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            if (postgres.isRunning()) {
                postgres.resume();
            }
            for (AutoCloseable closeable : closeables.reversed()) {
                closeable.close();
            }
        } finally {
            closeables.clear();
            postgres.close();
        }
    }
}
