package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;
import dev.flowpubsub.spi.support.Epochs;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs the signal log's statements ({@link SignalTables}) on a connection it is given, each call in one transaction
 * and with the connection in auto-commit mode again afterwards.
 *
 * <h2>Dense positions in one order</h2>
 * An append raises the head row's {@code head} by the number of its entries and inserts them at the positions below
 * the new head, then commits. The {@code UPDATE} locks the row until the commit; the next append's {@code UPDATE}
 * waits for that commit and reads the head it left. So positions are taken in the order appends commit, none is
 * skipped, and an append's entries are whole and adjacent. A reader whose snapshot sees an append sees every append
 * before it: the earlier one committed before the later one could take the row. Identity or sequence ids would not
 * do: they are taken at insert and commit in any order, and a reader could pass one that commits late.
 *
 * <h2>Epochs</h2>
 * The head row is made with a random epoch when it is missing: new tables (a database that lost its data, tables
 * dropped and made again by a migration) or a row deleted by hand. In the same transaction every entry and snapshot
 * left from before is deleted, so a new epoch always starts empty, at position 1.
 *
 * <p>Threading: stateless apart from its immutable names; called on the signal log's threads, each on its own
 * connection.
 */
final class SignalQueries {

    private final SignalTables tables;
    private final long timeoutMillis;

    /**
     * @param timeoutMillis how long an append may hold the head row, stalled or cut off, before the server ends its
     *                      session (and how long it waits for the row): the command timeout
     */
    SignalQueries(SignalTables tables, long timeoutMillis) {
        this.tables = tables;
        this.timeoutMillis = timeoutMillis;
    }

    /** Inserts the head row with a new epoch if it is missing, with an empty log; see the class comment. */
    void createHead(Connection connection) throws SQLException {
        inTransaction(connection, () -> {
            int made;
            try (PreparedStatement insert = connection.prepareStatement(tables.createHeadSql())) {
                insert.setString(1, Epochs.next());
                made = insert.executeUpdate();
            }
            if (made > 0) {
                try (Statement clear = connection.createStatement()) {
                    clear.executeUpdate(tables.clearEntriesSql());
                    clear.executeUpdate(tables.clearSnapshotsSql());
                }
            }
            return null;
        });
    }

    /**
     * Appends the entries at the next positions, whole and adjacent, if the log is at {@code epoch}; returns the
     * position of the last one.
     *
     * @throws IllegalStateException if the log is at another epoch (nothing is appended)
     */
    long append(Connection connection, String epoch, List<SignalEntry> entries) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            Long last = inTransaction(connection, () -> tryAppend(connection, epoch, entries));
            if (last != null) {
                return last;
            }
            if (attempt > 0) {
                throw new SQLException("the head row of " + tables.head + " is missing right after it was made");
            }
            createHead(connection); // deleted by hand, or its table made again since this node looked
        }
    }

    private @Nullable Long tryAppend(Connection connection, String epoch, List<SignalEntry> entries)
            throws SQLException {
        try (Statement start = connection.createStatement()) {
            start.execute(tables.appendStartSql(timeoutMillis));
        }
        long last;
        try (PreparedStatement take = connection.prepareStatement(tables.takePositionsSql())) {
            take.setLong(1, entries.size());
            try (ResultSet head = take.executeQuery()) {
                if (!head.next()) {
                    return null;
                }
                last = head.getLong(1);
                if (!epoch.equals(head.getString(2))) { // rolled back by inTransaction
                    throw new IllegalStateException("the signal log is at epoch " + head.getString(2) + ", not "
                            + epoch + ": the engine lost its data since");
                }
            }
        }
        if (!entries.isEmpty()) {
            try (PreparedStatement insert = connection.prepareStatement(tables.insertSql())) {
                long position = last - entries.size();
                for (SignalEntry entry : entries) {
                    insert.setLong(1, ++position);
                    insert.setBytes(2, entry.name().getBytes(StandardCharsets.UTF_8));
                    insert.setString(3, entry.originNode());
                    insert.setLong(4, entry.sequence());
                    insert.setInt(5, entry.format());
                    insert.setString(6, entry.writer());
                    insert.setBytes(7, entry.payload());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        return last;
    }

    /**
     * Up to {@code limit} entries after {@code after}, oldest first, of {@code name} only if not null, with the log's
     * epoch, head and watermark as of the same moment.
     */
    SignalRead read(Connection connection, long after, @Nullable String name, int limit) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            SignalRead read = tryRead(connection, after, name, limit);
            if (read != null) {
                return read;
            }
            if (attempt > 0) {
                throw new SQLException("the head row of " + tables.head + " is missing right after it was made");
            }
            createHead(connection);
        }
    }

    private @Nullable SignalRead tryRead(Connection connection, long after, @Nullable String name, int limit)
            throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(tables.readSql(name != null))) {
            int parameter = 1;
            read.setLong(parameter++, after);
            if (name != null) {
                read.setBytes(parameter++, name.getBytes(StandardCharsets.UTF_8));
            }
            read.setInt(parameter, limit);
            try (ResultSet rows = read.executeQuery()) {
                String epoch = null;
                long head = 0;
                long trimmed = 0;
                List<SignalEntry> entries = new ArrayList<>();
                while (rows.next()) {
                    epoch = rows.getString(1);
                    head = rows.getLong(2);
                    trimmed = rows.getLong(3);
                    long position = rows.getLong(4);
                    if (!rows.wasNull()) {
                        entries.add(new SignalEntry(position, new String(rows.getBytes(5), StandardCharsets.UTF_8),
                                rows.getString(6), rows.getLong(7), rows.getInt(8), rows.getString(9),
                                rows.getBytes(10)));
                    }
                }
                return epoch == null ? null : new SignalRead(epoch, head, trimmed, entries);
            }
        }
    }

    Optional<SignalSnapshot> snapshot(Connection connection, String name) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement(tables.snapshotSql())) {
            read.setBytes(1, name.getBytes(StandardCharsets.UTF_8));
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new SignalSnapshot(name, row.getLong(1), row.getInt(2), row.getString(3),
                        row.getBytes(4)));
            }
        }
    }

    /**
     * Stores the snapshot if it is newer than the one stored for its name and the log is at {@code epoch} (any, when
     * {@code null}); returns whether it did.
     */
    boolean putSnapshot(Connection connection, SignalSnapshot snapshot, @Nullable String epoch) throws SQLException {
        try (PreparedStatement put = connection.prepareStatement(tables.putSnapshotSql())) {
            put.setBytes(1, snapshot.name().getBytes(StandardCharsets.UTF_8));
            put.setLong(2, snapshot.position());
            put.setInt(3, snapshot.format());
            put.setString(4, snapshot.writer());
            put.setBytes(5, snapshot.payload());
            put.setString(6, epoch);
            put.setString(7, epoch);
            return put.executeUpdate() > 0;
        }
    }

    /** Raises the watermark to {@code position} (never lowers it, never past the head) and deletes up to it. */
    void trim(Connection connection, long position) throws SQLException {
        try (PreparedStatement trim = connection.prepareStatement(tables.trimSql())) {
            trim.setLong(1, position);
            trim.executeUpdate();
        }
    }

    /** Fails unless the connection answers. */
    static void ping(Connection connection) throws SQLException {
        try (PreparedStatement ping = connection.prepareStatement("SELECT 1");
             ResultSet result = ping.executeQuery()) {
            result.next();
        }
    }

    /** A unit of work that runs in one transaction. */
    @FunctionalInterface
    private interface Transactional<T> {
        @Nullable T run() throws SQLException;
    }

    private static <T> @Nullable T inTransaction(Connection connection, Transactional<T> work) throws SQLException {
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            PostgresSchema.rollbackQuietly(connection);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }
}
