package dev.flowpubsub.spi.support;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.NOPLogger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A reader's or writer's loop on its own, with fake turns and a sleeper that only records: what a failure, an
 * {@link Error}, an interrupt and a close do to the engine's state, the loop's connection and its pauses.
 */
class EngineLoopTest {

    private static final Duration FIRST = Duration.ofMillis(1);

    private final EngineConnection engine =
            new EngineConnection("Redis", "redis://h", UnaryOperator.identity(), NOPLogger.NOP_LOGGER);
    private final List<Duration> pauses = new ArrayList<>();
    private final AtomicInteger drops = new AtomicInteger();
    private final AtomicBoolean stopping = new AtomicBoolean();

    @AfterEach
    void clearInterrupt() {
        var unused = Thread.interrupted(); // a test that interrupts must not leave it to the next
    }

    private EngineLoop loop(EngineConnection.Side side) {
        return new EngineLoop(engine, side, Backoff.fullJitter(FIRST, Duration.ofHours(1)), stopping::get,
                drops::incrementAndGet, pauses::add);
    }

    /** Runs {@code turns} turns of {@code turn}. */
    private static void run(EngineLoop loop, int turns, EngineLoop.Turn turn) {
        AtomicInteger left = new AtomicInteger(turns);
        loop.run(() -> left.getAndDecrement() > 0, turn);
    }

    @Test
    void aFailedTurn_marksTheSideDown_dropsTheConnection_andPausesBeforeTheNext() {
        EngineLoop loop = loop(EngineConnection.Side.READER);

        run(loop, 3, () -> {
            throw new IllegalStateException("connection refused");
        });

        assertThat(engine.reader()).isEqualTo(EngineConnection.State.DOWN);
        assertThat(engine.lastError()).isEqualTo("IllegalStateException: connection refused");
        assertThat(drops).hasValue(3);
        assertThat(pauses).hasSize(3);
        assertThat(pauses.getFirst()).isEqualTo(FIRST);
    }

    @Test
    void aSucceededTurn_marksTheSideUp_andTheNextFailureWaitsTheShortestPauseAgain() {
        EngineLoop loop = loop(EngineConnection.Side.WRITER);
        run(loop, 20, () -> {
            throw new IllegalStateException("down");
        });

        run(loop, 1, loop::succeeded);
        assertThat(engine.writer()).isEqualTo(EngineConnection.State.UP);
        run(loop, 1, () -> {
            throw new IllegalStateException("down again");
        });

        assertThat(pauses.getLast()).isEqualTo(FIRST);
    }

    /** A long catch-up is not an outage, but it is not a success of the turn either: the pauses keep growing. */
    @Test
    void up_marksTheSideUp_butKeepsTheCountOfFailures() {
        EngineLoop loop = loop(EngineConnection.Side.READER);
        run(loop, 20, () -> {
            throw new IllegalStateException("down");
        });

        run(loop, 1, loop::up);
        assertThat(engine.reader()).isEqualTo(EngineConnection.State.UP);
        run(loop, 1, () -> {
            throw new IllegalStateException("down again");
        });

        assertThat(pauses.getLast()).as("the 21st pause, ceiling about 17 minutes").isGreaterThan(FIRST);
    }

    @Test
    void anError_marksTheSideDownForGood_dropsTheConnection_andIsThrownOn() {
        EngineLoop loop = loop(EngineConnection.Side.WRITER);
        run(loop, 1, loop::succeeded);
        OutOfMemoryError fatal = new OutOfMemoryError("Java heap space");

        assertThatThrownBy(() -> run(loop, 5, () -> {
            throw fatal;
        })).isSameAs(fatal);

        assertThat(engine.writer()).isEqualTo(EngineConnection.State.DOWN);
        assertThat(engine.lastError()).contains("the writer stopped").contains("Java heap space");
        assertThat(drops).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void anError_isThrownOn_evenWhenDroppingTheConnectionFailsToo() {
        RuntimeException closing = new IllegalStateException("cannot close");
        EngineLoop loop = new EngineLoop(engine, EngineConnection.Side.READER, Backoff.RECONNECT, () -> false,
                () -> {
                    throw closing;
                }, pauses::add);
        StackOverflowError fatal = new StackOverflowError();

        assertThatThrownBy(() -> run(loop, 1, () -> {
            throw fatal;
        })).isSameAs(fatal).satisfies(thrown -> assertThat(thrown.getSuppressed()).containsExactly(closing));
        assertThat(engine.reader()).isEqualTo(EngineConnection.State.DOWN);
    }

    @Test
    void anInterruptedTurn_endsTheLoop_withoutCountingAnOutage() {
        EngineLoop loop = loop(EngineConnection.Side.READER);
        run(loop, 1, loop::succeeded);
        AtomicInteger turns = new AtomicInteger();

        run(loop, 5, () -> {
            turns.incrementAndGet();
            throw new InterruptedException();
        });

        assertThat(turns).hasValue(1);
        assertThat(engine.reader()).isEqualTo(EngineConnection.State.UP);
        assertThat(drops).hasValue(0);
        assertThat(pauses).isEmpty();
    }

    @Test
    void aFailureWhileStopping_endsTheLoop_withoutCountingAnOutage() {
        EngineLoop loop = loop(EngineConnection.Side.READER);
        run(loop, 1, loop::succeeded);
        stopping.set(true);
        AtomicInteger turns = new AtomicInteger();

        run(loop, 5, () -> {
            turns.incrementAndGet();
            throw new IllegalStateException("closed by the transport");
        });

        assertThat(turns).hasValue(1);
        assertThat(engine.reader()).isEqualTo(EngineConnection.State.UP);
        assertThat(drops).hasValue(0);
        assertThat(pauses).isEmpty();
    }

    /** As PostgreSQL's writer does: a failure while closing with the engine up is told, then the loop ends unpaused. */
    @Test
    void aFailureThatMakesTheLoopStop_isCounted_thenEndsTheLoopWithoutAPause() {
        AtomicBoolean closed = new AtomicBoolean();
        EngineLoop loop = new EngineLoop(engine, EngineConnection.Side.WRITER, Backoff.RECONNECT,
                () -> closed.get() && engine.writer() != EngineConnection.State.UP, drops::incrementAndGet,
                pauses::add);
        run(loop, 1, loop::succeeded);
        closed.set(true);
        AtomicInteger turns = new AtomicInteger();

        run(loop, 5, () -> {
            turns.incrementAndGet();
            throw new IllegalStateException("server closed the connection");
        });

        assertThat(turns).hasValue(1);
        assertThat(engine.writer()).isEqualTo(EngineConnection.State.DOWN);
        assertThat(drops).hasValue(1);
        assertThat(pauses).isEmpty();
    }

    @Test
    void anInterruptedPause_endsEarly_keepingTheInterruptForTheLoop() {
        EngineLoop loop = new EngineLoop(engine, EngineConnection.Side.READER, Backoff.RECONNECT, () -> false,
                drops::incrementAndGet, pause -> {
                    throw new InterruptedException();
                });

        run(loop, 1, () -> {
            throw new IllegalStateException("down");
        });

        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(drops).hasValue(1);
    }

    @Test
    void run_takesTurnsWhileGoOnSaysSo() {
        EngineLoop loop = loop(EngineConnection.Side.READER);
        AtomicInteger turns = new AtomicInteger();

        run(loop, 7, turns::incrementAndGet);

        assertThat(turns).hasValue(7);
    }

    @Test
    @SuppressWarnings("NullAway") // passes null on purpose, as a caller without nullness checks could
    void aMissingCollaborator_isRefused_byName() {
        assertThatThrownBy(() -> new EngineLoop(engine, EngineConnection.Side.READER, Backoff.RECONNECT, () -> false,
                null)).isInstanceOf(NullPointerException.class).hasMessage("dropConnection must not be null");
    }
}
