package dev.flowpubsub.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes sure the tables of one script exist before the node first reads or writes them: creates them when missing
 * (the default), or, for teams that run the script themselves, fails with what to do when they are not there. Done
 * once per transport ({@code schema.sql}) or signal log ({@code signals.sql}), by whichever thread reaches PostgreSQL
 * first; a failure is retried at the next connection, and {@link #recheck} makes the next connection look again.
 *
 * <p>Threading: the threads that use the tables; a lock (not a monitor, as it is held around I/O) serializes them.
 */
final class SchemaInstaller {

    /** What else must be there once the tables are: the signal log's head row. */
    @FunctionalInterface
    interface Setup {
        void run(Connection connection) throws SQLException;
    }

    private final PostgresSchema schema;
    private final boolean create;
    private final String script;
    private final Setup setup;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean ready;

    SchemaInstaller(PostgresSchema schema, boolean create) {
        this(schema, create, PostgresSchema.SCRIPT, connection -> { });
    }

    /** For the tables of {@code script} (in this package), then {@code setup} on the same connection. */
    SchemaInstaller(PostgresSchema schema, boolean create, String script, Setup setup) {
        this.schema = schema;
        this.create = create;
        this.script = script;
        this.setup = setup;
    }

    /** Opens a connection from {@code source} on which the tables are known to exist; closes it if they are not. */
    Connection open(ConnectionSource source) throws SQLException {
        Connection connection = source.open();
        try {
            ensure(connection);
            return connection;
        } catch (SQLException | RuntimeException e) {
            ConnectionSource.closeQuietly(connection);
            throw e;
        }
    }

    void ensure(Connection connection) throws SQLException {
        if (ready) {
            return;
        }
        lock.lock();
        try {
            if (ready) {
                return;
            }
            if (create) {
                schema.create(connection, script);
            } else {
                List<String> missing = schema.missing(connection, script, true);
                if (!missing.isEmpty()) {
                    throw new MissingSchemaException("the tables " + String.join(", ", missing) + " do not exist "
                            + "and this node was told not to create them: run flow-pubsub-postgres's " + script
                            + " (dev/flowpubsub/postgres/" + script + " in its jar) with these names, or let the "
                            + "nodes create them (createSchema(true), pubsub.postgres.create-schema=true)");
                }
            }
            setup.run(connection);
            ready = true;
        } finally {
            lock.unlock();
        }
    }

    /** The tables may be gone (dropped, or a new server on the same address): the next connection looks again. */
    void recheck() {
        ready = false;
    }

    /** The tables are missing and the node may not create them; retried, and shown in health until fixed. */
    static final class MissingSchemaException extends SQLException {
        private static final long serialVersionUID = 1L;

        MissingSchemaException(String message) {
            super(message);
        }
    }
}
