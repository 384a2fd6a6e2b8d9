package dev.flowpubsub.postgres;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the node's reader and writer reach PostgreSQL, and the last error, for health and logs: a loss is logged
 * once when a side that was up goes down, and "reachable again" once when both are up after that.
 *
 * <p>Threading: written by the reader and writer threads, read by anyone; volatile fields, no lock.
 */
final class PostgresConnectionState {

    private static final Logger LOG = LoggerFactory.getLogger(PostgresConnectionState.class);

    /** One of the node's two loops. */
    enum Side { READER, WRITER }

    /** What one side knows of PostgreSQL. */
    enum State { NOT_CONNECTED_YET, UP, DOWN }

    private final String displayUrl;
    private final String password;
    private volatile State reader = State.NOT_CONNECTED_YET;
    private volatile State writer = State.NOT_CONNECTED_YET;
    private volatile String lastError = "not connected yet";

    PostgresConnectionState(String displayUrl, String password) {
        this.displayUrl = displayUrl;
        this.password = password;
    }

    void up(Side side) {
        boolean wasDown = reader == State.DOWN || writer == State.DOWN;
        set(side, State.UP);
        if (reader == State.UP && writer == State.UP) {
            lastError = null;
            if (wasDown) {
                LOG.info("flow-pubsub: PostgreSQL {} reachable again", displayUrl);
            }
        }
    }

    void down(Side side, Exception failure) {
        State was = side == Side.READER ? reader : writer;
        set(side, State.DOWN);
        lastError = failure.getClass().getSimpleName() + ": "
                + PostgresUrls.redact(String.valueOf(failure.getMessage()), password);
        if (was == State.UP) {
            LOG.warn("flow-pubsub: lost PostgreSQL {} ({}); delivering locally and retrying", displayUrl, lastError);
        } else {
            LOG.debug("flow-pubsub: PostgreSQL {} still unreachable: {}", displayUrl, lastError);
        }
    }

    private void set(Side side, State state) {
        if (side == Side.READER) {
            reader = state;
        } else {
            writer = state;
        }
    }

    boolean isUp() {
        return reader == State.UP && writer == State.UP;
    }

    State reader() {
        return reader;
    }

    State writer() {
        return writer;
    }

    /** The last error, with the password removed; {@code null} while both sides are up. */
    String lastError() {
        return lastError;
    }
}
