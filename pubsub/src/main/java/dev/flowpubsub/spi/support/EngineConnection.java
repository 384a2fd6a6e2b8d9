package dev.flowpubsub.spi.support;

import dev.flowpubsub.spi.TransportHealth;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.util.function.UnaryOperator;

/**
 * Whether a transport's reader and writer reach their engine, and the last error, for its {@link TransportHealth}
 * and its logs: a loss is logged once when a side that was up goes down, and "reachable again" once when both are up
 * after that. Shared by the transports so that each says the same things the same way.
 *
 * <p>Threading: written by the reader's and the writer's threads, read by anyone; volatile fields, no lock.
 */
@NullMarked
public final class EngineConnection {

    /** One of a node's two loops. */
    public enum Side { READER, WRITER }

    /** What one side knows of the engine. */
    public enum State { NOT_CONNECTED_YET, UP, DOWN }

    private final String engine;
    private final String displayAddress;
    private final UnaryOperator<String> redact;
    private final Logger log;
    private volatile State reader = State.NOT_CONNECTED_YET;
    private volatile State writer = State.NOT_CONNECTED_YET;
    private volatile @Nullable String lastError = "not connected yet";

    /**
     * @param engine         the engine's name in log lines ("Redis")
     * @param displayAddress its address as logs and health may show it: without a password
     * @param redact         removes secrets from an error's message before it is kept or logged
     * @param log            the transport's logger, so its lines are tuned with the transport's package
     */
    public EngineConnection(String engine, String displayAddress, UnaryOperator<String> redact, Logger log) {
        this.engine = Arguments.notNull(engine, "engine");
        this.displayAddress = Arguments.notNull(displayAddress, "displayAddress");
        this.redact = Arguments.notNull(redact, "redact");
        this.log = Arguments.notNull(log, "log");
    }

    /** {@code side} reaches the engine. */
    public void up(Side side) {
        boolean wasDown = reader == State.DOWN || writer == State.DOWN;
        set(side, State.UP);
        if (reader == State.UP && writer == State.UP) {
            lastError = null;
            if (wasDown) {
                log.info("flow-pubsub: {} {} reachable again", engine, displayAddress);
            }
        }
    }

    /** {@code side} lost the engine, or could not reach it, because of {@code failure}. */
    public void down(Side side, Exception failure) {
        State was = side == Side.READER ? reader : writer;
        set(side, State.DOWN);
        String error = failure.getClass().getSimpleName() + ": " + redact.apply(String.valueOf(failure.getMessage()));
        lastError = error;
        if (was == State.UP) {
            log.warn("flow-pubsub: lost {} {} ({}); delivering locally and retrying", engine, displayAddress, error);
        } else {
            log.debug("flow-pubsub: {} {} still unreachable: {}", engine, displayAddress, error);
        }
    }

    private void set(Side side, State state) {
        if (side == Side.READER) {
            reader = state;
        } else {
            writer = state;
        }
    }

    /** Whether both sides reach the engine. */
    public boolean isUp() {
        return reader == State.UP && writer == State.UP;
    }

    /** What the reader knows. */
    public State reader() {
        return reader;
    }

    /** What the writer knows. */
    public State writer() {
        return writer;
    }

    /** The last error, secrets removed; {@code null} while both sides are up. */
    public @Nullable String lastError() {
        return lastError;
    }
}
