package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.support.EngineThreads;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.Map;

/**
 * What a started {@link PostgresTransport} runs: its three mechanisms, each on a platform thread of its own, and its
 * shared signals' log, whose threads start when it is first used.
 *
 * <p>Made once by {@link PostgresTransport#start}, stopped once by {@link PostgresTransport#close}; immutable.
 */
record PostgresRunning(PostgresReader reader, PostgresWriter writer, PostgresHistory history,
                       PostgresSignalLog signals, Thread readerThread, Thread writerThread, Thread historyThread) {

    /** Starts the threads of {@code reader}, {@code writer} and {@code history}, named after {@code nodeId}. */
    static PostgresRunning start(PostgresReader reader, PostgresWriter writer, PostgresHistory history,
                                 PostgresSignalLog signals, String nodeId) {
        return new PostgresRunning(reader, writer, history, signals,
                EngineThreads.start("flow-pubsub-postgres-reader-" + nodeId, reader),
                EngineThreads.start("flow-pubsub-postgres-writer-" + nodeId, writer),
                EngineThreads.start("flow-pubsub-postgres-history-" + nodeId, history));
    }

    /** Adds what the mechanisms report to a health's {@code details}, zeros before start; any thread. */
    static void describe(@Nullable PostgresRunning running, Map<String, Object> details) {
        details.put("wakeUp", running == null ? "not started" : running.reader.wakeUp());
        details.put("buffered", running == null ? 0 : running.writer.buffered());
        details.put("bufferedBytes", running == null ? 0L : running.writer.bufferedBytes());
        details.put("droppedWhileDown", running == null ? 0L : running.writer.dropped());
    }

    /**
     * Stops the mechanisms: the signal log (its calls fail from now), the writer, given a moment to flush what it can,
     * then the reader (which on the application's pool ends within a {@code pollInterval}, giving its connection back)
     * and the history reader.
     */
    void stop(Duration pollInterval) {
        signals.close();
        writer.close();
        EngineThreads.join(writerThread, EngineThreads.CLOSE_WAIT);
        reader.close();
        readerThread.interrupt();
        EngineThreads.join(readerThread, Duration.ofMillis(Math.max(EngineThreads.CLOSE_WAIT.toMillis(),
                pollInterval.toMillis() + 1_000)));
        history.close();
        historyThread.interrupt();
        EngineThreads.join(historyThread, EngineThreads.CLOSE_WAIT);
    }
}
