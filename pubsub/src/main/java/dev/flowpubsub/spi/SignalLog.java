package dev.flowpubsub.spi;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;

/**
 * The log that shared signals replicate through: one total order for every node, the writer's own entries included,
 * a position per entry, storage for one snapshot per signal name, and a trim watermark. A {@link Transport} that
 * carries signals returns one from {@link Transport#signalLog()}.
 *
 * <p>Contract, checked by the shared conformance suite ({@code SignalLogConformanceSuite} in flow-pubsub's test jar):
 * <ul>
 * <li>{@link #append} stores its entries whole and adjacent, in the order given, at the next positions: every
 * position is one more than the one before, in one order every node reads alike. It appends only to the epoch the
 * caller names.</li>
 * <li>An entry once read at a position is read at that position by every node, until it is trimmed.</li>
 * <li>{@link #trim} never lowers the watermark; entries at or below it are gone.</li>
 * <li>{@link #putSnapshot} keeps a snapshot only if it is newer (a higher position) than the one stored for its
 * name.</li>
 * <li>When the engine loses its data, the {@linkplain SignalRead#epoch() epoch} changes, with the snapshots and
 * entries of the old one gone.</li>
 * <li>No method blocks the caller, except {@link #read} for up to its {@code wait}; a failure completes the stage
 * exceptionally and is retried by the hub.</li>
 * </ul>
 *
 * <p>Threading: the hub calls {@link #read} from one thread at a time; {@link #append} from one thread at a time, in
 * the node's order; the others from any thread.
 */
public interface SignalLog extends AutoCloseable {

    /**
     * Appends entries, whole and adjacent, in the order given, if the log is still at {@code epoch} (the one the
     * caller read last); completes with the position of the last one. Entries are given without position ({@code 0}).
     * When the log is at another epoch (the engine lost its data since), appends nothing and fails with an
     * {@link IllegalStateException}: a write made on the former state must not be the first thing in the new log, where
     * it would be applied to nothing; the hub re-seeds the new log first and appends it then.
     */
    CompletionStage<Long> append(String epoch, List<SignalEntry> entries);

    /**
     * Up to {@code limit} entries after position {@code after}, oldest first, of the signal {@code name} only when it
     * is not {@code null}; waits up to {@code wait} for one when there is none yet.
     */
    CompletionStage<SignalRead> read(long after, @Nullable String name, int limit, Duration wait);

    /** The newest snapshot stored for {@code name}, if any. */
    CompletionStage<Optional<SignalSnapshot>> snapshot(String name);

    /**
     * Stores a snapshot if it is newer than the one stored for its name, and the log is still at the epoch this log
     * last read (a node that has not noticed the engine lost its data must not store a state of the former epoch in
     * the new one); completes with whether it did.
     */
    CompletionStage<Boolean> putSnapshot(SignalSnapshot snapshot);

    /** Removes the entries up to {@code position} and raises the watermark to it (never lowers it). */
    CompletionStage<Void> trim(long position);

    /** Whether the engine is reachable now, for health checks and the engine-down policy. */
    TransportHealth health();

    /**
     * Whether the hub runs a reader thread for this log (the default). A deterministic test engine returns
     * {@code false}: it reads only when its owner steps it, through the pumps given to {@link #onStep}.
     */
    default boolean readerThread() {
        return true;
    }

    /**
     * For an engine without {@linkplain #readerThread() reader thread}: the hub's step, which reads and applies what
     * is there without waiting and says whether it did anything. Other engines ignore it.
     */
    default void onStep(BooleanSupplier step) {
    }

    /** Releases the connections and threads of the log. Idempotent. */
    @Override
    void close();
}
