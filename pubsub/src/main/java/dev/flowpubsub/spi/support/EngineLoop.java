package dev.flowpubsub.spi.support;

import org.jspecify.annotations.NullMarked;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * A transport's reader or writer loop, one turn at a time, with what every such loop does when its engine fails: a
 * turn that throws marks its side down ({@link EngineConnection#down}), drops the loop's connection and pauses
 * ({@link Backoff}) before the next turn; an {@link Error} marks the side down for good (health must not stay UP for a
 * thread that is gone), drops the connection and is thrown on, ending the thread. An {@link InterruptedException}
 * ends the loop: it is how a transport stops a thread that waits. The turn itself says when the engine answered
 * ({@link #up}) and when its work got done ({@link #succeeded}, after which the next failure waits the shortest pause
 * again).
 *
 * <p>A failure while the loop is stopping ({@code stopping}, asked before the failure is counted, and again instead
 * of the pause) ends the loop rather than counting as an outage: closing a transport aborts its connections.
 *
 * <pre>{@code
 * EngineLoop loop = new EngineLoop(connection, EngineConnection.Side.READER, Backoff.RECONNECT,
 *         () -> closed, this::dropConnection);
 * loop.run(() -> !closed, this::readOnce);   // readOnce calls loop.succeeded() after a read
 * dropConnection();
 * }</pre>
 *
 * <p>Threading: one loop thread calls {@link #run}, and its turn calls {@link #up} and {@link #succeeded}; the attempt
 * count is that thread's, unsynchronized. {@code stopping} and {@code dropConnection} run on that thread too.
 */
@NullMarked
public final class EngineLoop {

    /** One turn of a loop: its work until it would wait for the engine, or for work, again. */
    @FunctionalInterface
    public interface Turn {
        /** Does one turn's work; throws when the engine failed it. */
        void run() throws Exception;
    }

    /** How the loop waits between tries; a test gives one that does not sleep. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration pause) throws InterruptedException;
    }

    private final EngineConnection engine;
    private final EngineConnection.Side side;
    private final Backoff backoff;
    private final BooleanSupplier stopping;
    private final Runnable dropConnection;
    private final Sleeper sleeper;
    /** Loop thread: failures since the last success. */
    private long attempt;

    /**
     * @param engine         what the transport knows of its engine; this loop writes its {@code side}
     * @param side           which of the transport's loops this is
     * @param backoff        the pauses between failed turns
     * @param stopping       whether the loop is stopping, so that a failure ends it rather than counting as an outage
     * @param dropConnection closes (or gives back) the loop's connection after a failure, so the next turn opens a
     *                       new one; it must not throw
     */
    public EngineLoop(EngineConnection engine, EngineConnection.Side side, Backoff backoff, BooleanSupplier stopping,
                      Runnable dropConnection) {
        this(engine, side, backoff, stopping, dropConnection, Thread::sleep);
    }

    EngineLoop(EngineConnection engine, EngineConnection.Side side, Backoff backoff, BooleanSupplier stopping,
               Runnable dropConnection, Sleeper sleeper) {
        this.engine = Arguments.notNull(engine, "engine");
        this.side = Arguments.notNull(side, "side");
        this.backoff = Arguments.notNull(backoff, "backoff");
        this.stopping = Arguments.notNull(stopping, "stopping");
        this.dropConnection = Arguments.notNull(dropConnection, "dropConnection");
        this.sleeper = sleeper;
    }

    /**
     * Runs turns while {@code goOn} says so, and until one is interrupted or fails while the loop is stopping.
     *
     * @throws Error what a turn threw, after marking this side down and dropping the connection
     */
    public void run(BooleanSupplier goOn, Turn turn) {
        while (goOn.getAsBoolean()) {
            if (!turn(turn)) {
                return;
            }
        }
    }

    /** The engine answered this side: it is up (a long catch-up is not an outage). Loop thread. */
    public void up() {
        engine.up(side);
    }

    /** This turn's work got done: the side is up, and the next failure waits the shortest pause again. Loop thread. */
    public void succeeded() {
        engine.up(side);
        attempt = 0;
    }

    /** One turn; whether the loop goes on. */
    private boolean turn(Turn turn) {
        try {
            turn.run();
            return true;
        } catch (InterruptedException interrupted) {
            return false;
        } catch (Exception failure) {
            if (stopping.getAsBoolean()) {
                return false;
            }
            engine.down(side, failure);
            dropConnection.run();
            if (stopping.getAsBoolean()) {
                return false;
            }
            pause();
            return true;
        } catch (Error fatal) {
            String loop = side == EngineConnection.Side.READER ? "reader" : "writer";
            engine.down(side, new IllegalStateException("the " + loop + " stopped: " + fatal, fatal));
            try {
                dropConnection.run();
            } catch (RuntimeException | Error alsoFailed) {
                fatal.addSuppressed(alsoFailed);
            }
            throw fatal;
        }
    }

    /** Waits before the next try; returns early if interrupted (with the interrupt flag set again). */
    private void pause() {
        try {
            sleeper.sleep(backoff.pause(++attempt));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
