package dev.flowpubsub.postgres;

/**
 * The names of the shared signals' tables and every SQL statement on them, beside the message log's
 * ({@link PostgresSchema}, whose checked schema and table names they are built from, so nothing a configuration
 * holds can change a statement; values always go through bind parameters). The DDL is {@code signals.sql} in this
 * package.
 *
 * <p>Names fit PostgreSQL's 63 bytes with the longest table name allowed: each suffix is at most as long as the
 * message log's longest ({@code _history_topic}).
 *
 * <p>Threading: immutable.
 */
final class SignalTables {

    /** The script of these tables, in this package. */
    static final String SCRIPT = "signals.sql";

    final PostgresSchema schema;
    /** {@code schema.table_signal_head}: one row, the epoch, head and trim watermark. */
    final String head;
    /** {@code schema.table_signals}: the entries, by position. */
    final String entries;
    /** {@code schema.table_snapshots}: one snapshot per signal name. */
    final String snapshots;
    /**
     * The NOTIFY channel of appends: {@code schema_table_signals}, or a shortened name with a hash beyond 63 bytes
     * (see {@link PostgresSchema#channel}); not the message log's, so neither reader wakes for the other's rows.
     */
    final String channel;

    SignalTables(PostgresSchema schema) {
        this.schema = schema;
        String prefix = schema.schema + "." + schema.table;
        this.head = prefix + "_signal_head";
        this.entries = prefix + "_signals";
        this.snapshots = prefix + "_snapshots";
        this.channel = PostgresSchema.channel(schema.schema, schema.table + "_signals");
    }

    /** Inserts the head row if there is none, with a new epoch (parameter); changes one row if it did. */
    String createHeadSql() {
        return "INSERT INTO " + head + " (one, epoch, head, trimmed) VALUES (true, ?, 0, 0) ON CONFLICT DO NOTHING";
    }

    /** With a new head row: the entries of an earlier epoch go (its snapshots with {@link #clearSnapshotsSql}). */
    String clearEntriesSql() {
        return "DELETE FROM " + entries;
    }

    String clearSnapshotsSql() {
        return "DELETE FROM " + snapshots;
    }

    /**
     * Opens an append: bounds the transaction on the server's side, as the message log's appends do (see
     * {@link PostgresSchema#appendLockSql}), and queues the {@code NOTIFY} that goes out at the commit, in one round
     * trip. The channel is a checked identifier.
     */
    String appendStartSql(long timeoutMillis) {
        return "SET LOCAL idle_in_transaction_session_timeout = " + timeoutMillis + "; SET LOCAL lock_timeout = "
                + timeoutMillis + "; NOTIFY " + channel;
    }

    /**
     * Takes the next positions: parameter how many; answers the new head and the epoch, or no row when the head row
     * is missing. The row stays locked until the commit, so appends take their positions one after another.
     */
    String takePositionsSql() {
        return "UPDATE " + head + " SET head = head + ? RETURNING head, epoch";
    }

    String insertSql() {
        return "INSERT INTO " + entries + " (position, name, origin, sequence, format, writer, payload)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)";
    }

    /**
     * The head row with the next entries after a position, oldest first, in one statement, so in one snapshot of
     * the database: the head and watermark answered are those of the entries found. Parameters: the position, then
     * with {@code named} the name ({@code bytea}), then how many. One row with null entry columns when there is no
     * entry; no row when the head row is missing.
     */
    String readSql(boolean named) {
        return "SELECT h.epoch, h.head, h.trimmed, e.position, e.name, e.origin, e.sequence, e.format, e.writer,"
                + " e.payload FROM " + head + " h LEFT JOIN LATERAL (SELECT position, name, origin, sequence, format,"
                + " writer, payload FROM " + entries + " WHERE position > ?" + (named ? " AND name = ?" : "")
                + " ORDER BY position LIMIT ?) e ON true ORDER BY e.position";
    }

    /** Parameter: the name ({@code bytea}). */
    String snapshotSql() {
        return "SELECT position, format, writer, payload FROM " + snapshots + " WHERE name = ?";
    }

    /**
     * Stores a snapshot unless the one stored for its name is as new; changes a row if it did. Parameters: name,
     * position, format, writer, payload.
     */
    String putSnapshotSql() {
        return "INSERT INTO " + snapshots + " AS stored (name, position, format, writer, payload)"
                + " SELECT ?, ?, ?, ?, ? WHERE CAST(? AS text) IS NULL OR EXISTS (SELECT 1 FROM " + head
                + " WHERE epoch = CAST(? AS text))"
                + " ON CONFLICT (name) DO UPDATE SET position = excluded.position, format = excluded.format,"
                + " writer = excluded.writer, payload = excluded.payload WHERE excluded.position > stored.position";
    }

    /**
     * Raises the watermark to a position (parameter), never above the head nor below where it is, and deletes the
     * entries up to it, in one statement: a reader sees both or neither.
     */
    String trimSql() {
        return "WITH raised AS (UPDATE " + head + " SET trimmed = greatest(trimmed, least(?, head))"
                + " RETURNING trimmed) DELETE FROM " + entries + " WHERE position <= (SELECT trimmed FROM raised)";
    }
}
