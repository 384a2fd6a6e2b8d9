package dev.flowpubsub.redis;

import io.lettuce.core.RedisURI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the node's reader and writer reach Redis, and the last error, for health and logs: a loss is logged once
 * when a side that was up goes down, and "reachable again" once when both are up after that.
 *
 * <p>Threading: written by the reader and writer threads, read by anyone; volatile fields, no lock.
 */
final class RedisConnectionState {

    private static final Logger LOG = LoggerFactory.getLogger(RedisConnectionState.class);

    /** One of the node's two connections. */
    enum Side { READER, WRITER }

    /** What one side knows of Redis. */
    enum State { NOT_CONNECTED_YET, UP, DOWN }

    private final RedisURI uri;
    private final String displayUri;
    private volatile State reader = State.NOT_CONNECTED_YET;
    private volatile State writer = State.NOT_CONNECTED_YET;
    private volatile String lastError = "not connected yet";

    RedisConnectionState(RedisURI uri, String displayUri) {
        this.uri = uri;
        this.displayUri = displayUri;
    }

    void up(Side side) {
        boolean wasDown = reader == State.DOWN || writer == State.DOWN;
        set(side, State.UP);
        if (reader == State.UP && writer == State.UP) {
            lastError = null;
            if (wasDown) {
                LOG.info("flow-pubsub: Redis {} reachable again", displayUri);
            }
        }
    }

    void down(Side side, RuntimeException failure) {
        State was = side == Side.READER ? reader : writer;
        set(side, State.DOWN);
        lastError = failure.getClass().getSimpleName() + ": " + RedisUris.redact(String.valueOf(failure.getMessage()), uri);
        if (was == State.UP) {
            LOG.warn("flow-pubsub: lost Redis {} ({}); delivering locally and retrying", displayUri, lastError);
        } else {
            LOG.debug("flow-pubsub: Redis {} still unreachable: {}", displayUri, lastError);
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

    /** The last error, with any password removed; {@code null} while both sides are up. */
    String lastError() {
        return lastError;
    }
}
