package dev.flowpubsub.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The names of the transport's tables and every SQL statement on them. Names are checked against a strict
 * identifier pattern (lower-case letters, digits and underscores) before any SQL is built with them, so nothing a
 * configuration holds can change a statement; values always go through bind parameters.
 *
 * <p>The DDL is {@code schema.sql} in this package (and {@code signals.sql} for the shared signals' tables, see
 * {@link SignalTables}), the scripts teams that manage their own migrations run; nodes that create the schema
 * themselves (the default) run the same scripts with the configured names, in one transaction under an advisory lock,
 * so nodes starting together do not race on {@code CREATE TABLE IF NOT EXISTS}.
 *
 * <p>Threading: immutable; {@link #create} may run on several nodes at once (the lock serializes them).
 */
final class PostgresSchema {

    /** What {@code pg_advisory_xact_lock(int, int)} locks take as their first key: this library's own space. */
    static final int LOCK_SPACE = 0x66707362; // "fpsb"

    /** The script of the message log's tables, in this package. */
    static final String SCRIPT = "schema.sql";

    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
    private static final int LONGEST_SUFFIX = "_history_topic".length();
    private static final int MAX_IDENTIFIER = 63;
    /** A statement of {@code schema.sql}: what it creates, and the schema of an index. */
    private static final Pattern CREATES = Pattern.compile(
            "CREATE (SCHEMA|TABLE|INDEX) IF NOT EXISTS ([a-z0-9_.]+)(?: ON ([a-z0-9_]+)\\.)?");

    final String schema;
    final String table;
    /** {@code schema.table_log}. */
    final String log;
    /** {@code schema.table_history}. */
    final String history;
    /**
     * The NOTIFY channel: {@code schema_table}, so two logs in one database wake only their own readers; beyond
     * PostgreSQL's 63 bytes a shortened name with a hash of the whole (see {@link #channel(String, String)}).
     */
    final String channel;
    /** Serializes appends to this log (the second key of {@link #LOCK_SPACE}). */
    final int appendLock;
    /** Lets one node at a time trim this log. */
    final int trimLock;
    /** Serializes schema creation. */
    final int ddlLock;

    PostgresSchema(String schema, String table) {
        this.schema = identifier(schema, "schema", MAX_IDENTIFIER);
        this.table = identifier(table, "table", MAX_IDENTIFIER - LONGEST_SUFFIX);
        this.log = schema + "." + table + "_log";
        this.history = schema + "." + table + "_history";
        this.channel = channel(schema, table);
        int key = crc(schema + "." + table);
        this.appendLock = key;
        this.trimLock = key ^ 0x5a5a5a5a;
        this.ddlLock = key ^ 0x3c3c3c3c;
    }

    /**
     * Checks a configured name: only lower-case letters, digits and underscores, starting with a letter or an
     * underscore (PostgreSQL folds unquoted names to lower case), and short enough for PostgreSQL's 63 bytes once
     * the transport's suffixes are added.
     */
    static String identifier(String name, String what, int maxLength) {
        if (name == null) {
            throw new NullPointerException(what + " must not be null");
        }
        if (!IDENTIFIER.matcher(name).matches() || name.length() > maxLength) {
            throw new IllegalArgumentException(what + " must be a plain PostgreSQL identifier: lower-case letters, "
                    + "digits and underscores, starting with a letter or an underscore, at most " + maxLength
                    + " characters (got \"" + name + "\")");
        }
        return name;
    }

    /**
     * The NOTIFY channel of a log: {@code schema_table} whenever it fits in an identifier's 63 bytes, as nodes of
     * earlier releases name it, so old and new nodes keep waking each other during a rolling upgrade. A longer one
     * would be cut silently by {@code LISTEN} and {@code NOTIFY} but refused by {@code pg_notify()}: it becomes its
     * first 46 characters, an underscore and 16 hexadecimal digits of the whole name's SHA-256, stable across nodes
     * and releases.
     */
    static String channel(String schema, String table) {
        String whole = schema + "_" + table;
        if (whole.length() <= MAX_IDENTIFIER) { // plain identifiers: one byte per character
            return whole;
        }
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(whole.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException("every Java runtime has SHA-256", impossible);
        }
        String digits = HexFormat.of().formatHex(hash, 0, 8);
        return whole.substring(0, MAX_IDENTIFIER - 1 - digits.length()) + "_" + digits;
    }

    private static int crc(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.UTF_8));
        return (int) crc.getValue();
    }

    /** The message log's DDL script with this schema's names, as statements. */
    List<String> ddl() {
        return ddl(SCRIPT);
    }

    /** The DDL script {@code resource} of this package with this schema's names, as statements. */
    List<String> ddl(String resource) {
        String script;
        try (InputStream in = PostgresSchema.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from flow-pubsub-postgres's jar");
            }
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + " from flow-pubsub-postgres's jar", e);
        }
        StringBuilder code = new StringBuilder();
        for (String line : script.lines().toList()) {
            if (!line.startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        // placeholders first, so a schema named like the default table (or the reverse) is not replaced twice
        String named = code.toString().replace("flow_pubsub", "\u0001").replace("public.", "\u0002.")
                .replace("SCHEMA IF NOT EXISTS public;", "SCHEMA IF NOT EXISTS \u0002;")
                .replace("\u0001", table).replace("\u0002", schema);
        List<String> statements = new ArrayList<>();
        for (String statement : Pattern.compile(";").splitAsStream(named).toList()) {
            if (!statement.isBlank()) {
                statements.add(statement.strip());
            }
        }
        return statements;
    }

    /**
     * Creates what is missing, and only that: the catalog is read first, and a node whose tables and indexes all
     * exist (made by an earlier node, or by a migration tool) runs no DDL at all. That matters twice: {@code CREATE
     * ... IF NOT EXISTS} checks the privilege to create in the schema before it looks, which an application's role
     * that may only read, insert and delete does not have; and {@code CREATE INDEX IF NOT EXISTS} takes a lock that
     * holds every node's appends for a moment. What is missing is created in one transaction under an advisory lock,
     * looked for again under it, so nodes starting together create each object once. Leaves auto-commit on.
     */
    void create(Connection connection, String script) throws SQLException {
        if (missing(connection, script, false).isEmpty()) {
            return;
        }
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_SPACE + ", " + ddlLock + ")");
            for (String ddl : missing(connection, script, false)) {
                statement.execute(ddl);
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(connection);
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /**
     * The statements of the script {@code script} whose schema, table or index does not exist, in the script's
     * order; with {@code tablesOnly}, the names of its tables that do not exist instead.
     */
    List<String> missing(Connection connection, String script, boolean tablesOnly) throws SQLException {
        List<String> missing = new ArrayList<>();
        for (String ddl : ddl(script)) {
            Matcher create = CREATES.matcher(ddl);
            if (!create.lookingAt()) {
                throw new IllegalStateException(script + " holds a statement this node cannot check: " + ddl);
            }
            String kind = create.group(1);
            if (tablesOnly && !kind.equals("TABLE")) {
                continue;
            }
            String name = kind.equals("INDEX") ? create.group(3) + "." + create.group(2) : create.group(2);
            String exists = kind.equals("SCHEMA") ? "SELECT to_regnamespace(?) IS NOT NULL"
                    : "SELECT to_regclass(?) IS NOT NULL";
            try (var check = connection.prepareStatement(exists)) {
                check.setString(1, name);
                try (var result = check.executeQuery()) {
                    if (!(result.next() && result.getBoolean(1))) {
                        missing.add(tablesOnly ? name : ddl);
                    }
                }
            }
        }
        return missing;
    }

    /* --- statements --- */

    /**
     * Bounds the appending transaction on the server's side, then takes the append lock, in one round trip: a
     * writer that stalls or is cut off inside its transaction (without the connection closing) would otherwise hold
     * every node's appends until PostgreSQL noticed the dead connection, which TCP keepalive does only after hours.
     * {@code idle_in_transaction_session_timeout} ends such a session, and so its lock, after {@code timeoutMillis};
     * {@code lock_timeout} fails a wait for the lock that long, to be retried. Both {@code SET LOCAL}: a pooled
     * connection goes back to the pool without them. The {@code NOTIFY} goes out at the commit (and not at all on a
     * rollback) wherever it stands in the transaction, so it rides in the same round trip. The channel is a checked
     * identifier.
     */
    String appendLockSql(long timeoutMillis) {
        return "SET LOCAL idle_in_transaction_session_timeout = " + timeoutMillis + "; SET LOCAL lock_timeout = "
                + timeoutMillis + "; SELECT pg_advisory_xact_lock(" + LOCK_SPACE + ", " + appendLock + "); NOTIFY "
                + channel;
    }

    String insertSql() {
        return "INSERT INTO " + log + " (format, origin, sequence, topic, sent_at, payload) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (origin, sequence) DO NOTHING";
    }

    String insertHistorySql() {
        return "INSERT INTO " + history + " (log_id, topic, origin, sequence, sent_at, payload)"
                + " SELECT id, topic, origin, sequence, sent_at, payload FROM " + log
                + " WHERE origin = ? AND sequence = ? AND topic IS NOT NULL ON CONFLICT (log_id) DO NOTHING";
    }

    /** Keeps a topic's newest {@code ?} history rows: parameters topic, topic, keep - 1. */
    String trimHistoryByCountSql() {
        return "DELETE FROM " + history + " WHERE topic = ? AND log_id < (SELECT log_id FROM " + history
                + " WHERE topic = ? ORDER BY log_id DESC OFFSET ? LIMIT 1)";
    }

    String newestIdSql() {
        return "SELECT coalesce(max(id), 0) FROM " + log;
    }

    /**
     * The next rows after a log id, in id order: parameters the largest payload, origin and topic in bytes, the id
     * and how many rows. A row over one of those sizes comes without its origin, topic and payload (and with the
     * payload's size), so a hand-written row of any size is refused without being loaded.
     */
    String readSql() {
        return "SELECT id, format, CASE WHEN big THEN NULL ELSE origin END, sequence, CASE WHEN big THEN NULL ELSE topic"
                + " END, sent_at, CASE WHEN big THEN NULL ELSE payload END, octet_length(payload) FROM (SELECT id, format,"
                + " origin, sequence, topic, sent_at, payload, octet_length(payload) > ? OR octet_length(origin) > ? OR"
                + " coalesce(octet_length(topic), 0) > ? AS big FROM " + log + " WHERE id > ? ORDER BY id LIMIT ?) next"
                + " ORDER BY id";
    }

    /**
     * The newest rows of many topics at once, each topic's in log order, up to a log id: parameters the largest
     * payload in bytes (a row over it comes without its payload), the topics ({@code bytea[]}), how many of each to
     * keep ({@code int[]}, in the same order) and the log id. One index scan per topic, on {@code (topic, log_id)}.
     */
    String readHistoriesSql() {
        return "SELECT wanted.topic, kept.origin, kept.sequence, kept.sent_at, CASE WHEN octet_length(kept.payload) <= ?"
                + " THEN kept.payload END FROM unnest(?::bytea[], ?::int[]) AS wanted(topic, keep)"
                + " CROSS JOIN LATERAL (SELECT log_id, origin, sequence, sent_at, payload FROM " + history
                + " h WHERE h.topic = wanted.topic AND h.log_id <= ? ORDER BY h.log_id DESC LIMIT wanted.keep) kept"
                + " ORDER BY wanted.topic, kept.log_id";
    }

    String tryTrimLockSql() {
        return "SELECT pg_try_advisory_xact_lock(" + LOCK_SPACE + ", " + trimLock + ")";
    }

    /** Parameter: the retention in milliseconds. */
    String trimLogByAgeSql() {
        return "DELETE FROM " + log + " WHERE created_at < now() - make_interval(secs => ? / 1000.0)";
    }

    /** Parameter: how many rows to keep, minus one. */
    String trimLogByCountSql() {
        return "DELETE FROM " + log + " WHERE id < (SELECT id FROM " + log + " ORDER BY id DESC OFFSET ? LIMIT 1)";
    }

    /** Drops the history of topics whose newest message is older than the history retention (milliseconds). */
    String trimHistoryByAgeSql() {
        return "DELETE FROM " + history + " WHERE topic IN (SELECT topic FROM " + history
                + " GROUP BY topic HAVING max(created_at) < now() - make_interval(secs => ? / 1000.0))";
    }

    static void rollbackQuietly(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException | RuntimeException ignored) {
            // a broken connection: nothing was committed
        }
    }
}
