package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.support.EngineConnection;
import dev.flowpubsub.spi.support.EngineThreads;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * One of the signal log's two threads, with its {@link SignalSession}: runs the calls queued to it one at a time, in
 * the order queued, and completes each call's stage. Its thread starts with the first call.
 *
 * <h2>Bounds</h2>
 * Every call has a bound, its longest wait plus a few command timeouts: its stage fails when the bound passes, even if
 * the thread is still busy (each JDBC call has the connection's network timeout, so the thread is not stuck for
 * long), and a call still queued then is dropped without running. At most {@value #MAX_QUEUED} calls wait; more fail
 * at once.
 *
 * <h2>State</h2>
 * Each call's outcome says whether PostgreSQL is reachable: a failure drops the connection (the next call opens
 * another; a call that failed on a connection held from before is tried once more on a new one) and is kept, scrubbed
 * of secrets, for health. The first failure after a success is logged at WARN, the first success after failures at
 * INFO. {@link #refresh} queues a ping when nothing was called for a while, so that health stays true to the facts
 * while the log is idle.
 *
 * <p>Threading: {@link #submit}, {@link #refresh} and the getters from any thread; the calls run on the worker's
 * thread; no lock.
 */
final class SignalWorker implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(SignalWorker.class);

    /** The most calls that may wait for the thread. */
    static final int MAX_QUEUED = 1_000;
    /** An outcome older than this is refreshed by a ping when health is asked. */
    private static final long STALE_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What a call does, on the worker's thread, with its session. */
    @FunctionalInterface
    interface Work<T> {
        T run(SignalSession session) throws SQLException, InterruptedException;
    }

    /** A queued call: what it is (for errors), what to do, and the stage to complete. */
    private record Call<T>(String what, Work<T> work, CompletableFuture<T> answer) {
    }

    private final String side;
    private final String threadName;
    private final SignalSession session;
    private final String displayUrl;
    private final UnaryOperator<String> redactor;
    private final Duration pingBound;
    private final LinkedBlockingQueue<Call<?>> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean started = new AtomicBoolean();
    private final AtomicBoolean pinging = new AtomicBoolean();
    private volatile @Nullable Thread thread;
    private volatile boolean closed;
    private volatile boolean busy;
    private volatile EngineConnection.State state = EngineConnection.State.NOT_CONNECTED_YET;
    private volatile long lastOutcomeNanos = System.nanoTime();
    private volatile @Nullable String lastError;

    /**
     * @param side       {@code reader} or {@code writer}, for logs and health
     * @param threadName the name of its thread
     * @param pingBound  the bound of a ping: a few command timeouts
     */
    SignalWorker(String side, String threadName, SignalSession session, String displayUrl,
                 UnaryOperator<String> redactor, Duration pingBound) {
        this.side = side;
        this.threadName = threadName;
        this.session = session;
        this.displayUrl = displayUrl;
        this.redactor = redactor;
        this.pingBound = pingBound;
    }

    /** Queues {@code work}; the stage completes on the worker's thread, or fails when {@code bound} has passed. */
    <T> CompletableFuture<T> submit(String what, Work<T> work, Duration bound) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        if (closed) {
            answer.completeExceptionally(new IllegalStateException("the signal log is closed"));
            return answer;
        }
        if (queue.size() >= MAX_QUEUED) {
            answer.completeExceptionally(new IllegalStateException(MAX_QUEUED + " calls of the signal log's " + side
                    + " wait for PostgreSQL " + displayUrl + " already"));
            return answer;
        }
        CompletableFuture.delayedExecutor(bound.toNanos(), TimeUnit.NANOSECONDS).execute(() -> answer
                .completeExceptionally(new TimeoutException("PostgreSQL " + displayUrl + " did not answer the signal "
                        + "log's " + what + " within " + bound.toMillis() + " ms")));
        queue.add(new Call<>(what, work, answer));
        if (closed) {
            failQueued();
        } else if (started.compareAndSet(false, true)) {
            thread = EngineThreads.start(threadName, this);
        }
        return answer;
    }

    /** Queues a ping if the last outcome is old or a failure and the thread is idle; see the class comment. */
    void refresh() {
        boolean stale = state != EngineConnection.State.UP || System.nanoTime() - lastOutcomeNanos > STALE_NANOS;
        if (stale && !closed && !busy && queue.isEmpty() && pinging.compareAndSet(false, true)) {
            var unused = submit("ping", pinged -> {
                SignalQueries.ping(pinged.connection());
                return Boolean.TRUE;
            }, pingBound).whenComplete((ignored, failure) -> pinging.set(false)); // the outcome goes to the state
        }
    }

    @Override
    public void run() {
        try {
            while (!closed) {
                Call<?> call = queue.poll(1, TimeUnit.SECONDS);
                if (call != null) {
                    execute(call);
                }
            }
        } catch (InterruptedException closing) {
            // close() interrupts
        } finally {
            failQueued();
            session.close();
        }
    }

    private <T> void execute(Call<T> call) throws InterruptedException {
        if (call.answer.isDone()) {
            return; // its bound passed while it waited
        }
        busy = true;
        try {
            T result = attempt(call);
            session.release();
            succeeded();
            call.answer.complete(result);
        } catch (SQLException | RuntimeException failure) {
            session.drop();
            if (closed) { // aborted by close(): not an outage
                call.answer.completeExceptionally(new IllegalStateException("the signal log is closed"));
                return;
            }
            String error = failure.getClass().getSimpleName() + ": " + redactor.apply(String.valueOf(
                    failure.getMessage()));
            failed(error);
            // a new exception, without the driver's as its cause: that one's message may quote a secret
            call.answer.completeExceptionally(new IllegalStateException("the signal log's " + call.what + " on "
                    + "PostgreSQL " + displayUrl + " failed: " + error));
        } catch (InterruptedException closing) {
            call.answer.completeExceptionally(new IllegalStateException("the signal log is closed"));
            throw closing;
        } finally {
            busy = false;
        }
    }

    /**
     * Runs the call; if it fails on a connection held from before it, runs it once more on a new one: PostgreSQL may
     * have restarted, or the tables been made again, since that connection was last used. (A repeated append that had
     * committed leaves a repeat, which every reader skips alike.)
     */
    private <T> T attempt(Call<T> call) throws SQLException, InterruptedException {
        boolean held = session.isOpen();
        try {
            return call.work.run(session);
        } catch (SQLException | RuntimeException failure) {
            session.drop();
            if (!held || call.answer.isDone()) {
                throw failure;
            }
            LOG.debug("flow-pubsub: the signal log's {} failed on a connection held from before; once more on a new "
                    + "one", call.what);
            return call.work.run(session);
        }
    }

    private void succeeded() {
        EngineConnection.State was = state;
        state = EngineConnection.State.UP;
        lastError = null;
        lastOutcomeNanos = System.nanoTime();
        if (was == EngineConnection.State.DOWN) {
            LOG.info("flow-pubsub: shared signals' {} reaches PostgreSQL {} again", side, displayUrl);
        }
    }

    private void failed(String error) {
        EngineConnection.State was = state;
        state = EngineConnection.State.DOWN;
        lastError = error;
        lastOutcomeNanos = System.nanoTime();
        if (was == EngineConnection.State.UP) {
            LOG.warn("flow-pubsub: shared signals' {} lost PostgreSQL {} ({}); their calls fail until it is back",
                    side, displayUrl, error);
        } else {
            LOG.debug("flow-pubsub: shared signals' {} still cannot reach PostgreSQL {}: {}", side, displayUrl, error);
        }
    }

    private void failQueued() {
        for (Call<?> left = queue.poll(); left != null; left = queue.poll()) {
            left.answer.completeExceptionally(new IllegalStateException("the signal log is closed"));
        }
    }

    EngineConnection.State state() {
        return state;
    }

    /** The last failure's text, secrets removed; {@code null} after a success. */
    @Nullable String lastError() {
        return lastError;
    }

    /**
     * Stops taking calls, fails those that wait, ends a call blocked on a connection of the transport's own, and
     * waits a moment for the thread to end.
     */
    void close() {
        closed = true;
        failQueued();
        session.abort();
        Thread running = thread;
        if (running != null) {
            running.interrupt();
            EngineThreads.join(running, EngineThreads.CLOSE_WAIT);
        }
    }
}
