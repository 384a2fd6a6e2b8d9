package dev.flowpubsub.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Trims the log by age and by count, and the history by age, from the nodes themselves: no external job. Each node
 * tries every {@code trimInterval}; a transaction-scoped advisory lock taken with {@code pg_try_advisory_xact_lock}
 * lets one node at a time do it, and the others skip that round. Rows are deleted by id (the log's order) or by
 * their insert time on the database's clock, never on a node's.
 *
 * <p>Threading: the writer thread, on its connection, between batches.
 */
final class PostgresRetention {

    private final PostgresSettings settings;
    private final PostgresSchema schema;
    private long lastTrimNanos = System.nanoTime();

    PostgresRetention(PostgresSettings settings) {
        this.settings = settings;
        this.schema = settings.schema();
    }

    /** Trims if the interval has passed since this node last tried; returns whether it trimmed. */
    boolean maybeTrim(Connection connection) throws SQLException {
        long now = System.nanoTime();
        if (now - lastTrimNanos < settings.trimInterval().toNanos()) {
            return false;
        }
        lastTrimNanos = now;
        connection.setAutoCommit(false);
        try {
            boolean mine;
            try (PreparedStatement lock = connection.prepareStatement(schema.tryTrimLockSql());
                 ResultSet result = lock.executeQuery()) {
                mine = result.next() && result.getBoolean(1);
            }
            if (mine) {
                update(connection, schema.trimLogByAgeSql(), settings.engine().retention().toMillis());
                update(connection, schema.trimLogByCountSql(), settings.engine().maxLength() - 1);
                update(connection, schema.trimHistoryByAgeSql(), settings.engine().historyRetention().toMillis());
            }
            connection.commit();
            return mine;
        } catch (SQLException | RuntimeException e) {
            PostgresSchema.rollbackQuietly(connection);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    private static void update(Connection connection, String sql, long parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setLong(1, parameter);
            statement.executeUpdate();
        }
    }
}
