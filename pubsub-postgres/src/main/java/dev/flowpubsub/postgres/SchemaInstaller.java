package dev.flowpubsub.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Makes sure the tables exist before the node first reads or writes: creates them when missing (the default), or,
 * for teams that run {@code schema.sql} themselves, fails with what to do when they are not there. Done once per
 * transport, by whichever loop reaches PostgreSQL first; a failure is retried at the next connection.
 *
 * <p>Threading: the reader and writer threads; a lock (not a monitor, as it is held around I/O) serializes them.
 */
final class SchemaInstaller {

    private final PostgresSchema schema;
    private final boolean create;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile boolean ready;

    SchemaInstaller(PostgresSchema schema, boolean create) {
        this.schema = schema;
        this.create = create;
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
                schema.create(connection);
            } else if (!schema.exists(connection)) {
                throw new MissingSchemaException("the tables " + schema.log + " and " + schema.history + " do not "
                        + "exist and this node was told not to create them: run flow-pubsub-postgres's schema.sql "
                        + "(dev/flowpubsub/postgres/schema.sql in its jar) with these names, or let the nodes create "
                        + "them (createSchema(true), pubsub.postgres.create-schema=true)");
            }
            ready = true;
        } finally {
            lock.unlock();
        }
    }

    /** The tables are missing and the node may not create them; retried, and shown in health until fixed. */
    static final class MissingSchemaException extends SQLException {
        private static final long serialVersionUID = 1L;

        MissingSchemaException(String message) {
            super(message);
        }
    }
}
