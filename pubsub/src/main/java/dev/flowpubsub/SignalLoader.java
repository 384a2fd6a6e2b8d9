package dev.flowpubsub;

import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Brings a tree to a log position from the engine rather than from the entries the replica reads: a name this node
 * did not hold (its snapshot, then its entries after it), and a name held by a node that fell behind the trim
 * watermark (its newest snapshot). Only snapshots of the current epoch count: one kept from before the engine lost its
 * data is no state of the new log.
 *
 * <p>Threading: the replica's thread; it blocks on the engine up to the call timeout per call.
 */
final class SignalLoader {

    private static final Logger LOG = Logs.CLUSTER;
    private static final int PAGE = 500;

    private final SignalLog log;
    private final SignalCodec codec;
    private final SignalEntries entries;
    private final Duration callTimeout;

    SignalLoader(SignalLog log, SignalCodec codec, SignalEntries entries, Duration callTimeout) {
        this.log = log;
        this.codec = codec;
        this.entries = entries;
        this.callTimeout = callTimeout;
    }

    /**
     * A stored snapshot this node refuses (malformed, of an unknown format, of another epoch): what the name held
     * where it was taken is not known.
     */
    static final class RefusedSnapshot extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        RefusedSnapshot(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /** The log turned out to be at another epoch while loading: the replica reads the new one first. */
    static final class EpochChanged extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        EpochChanged(String message) {
            super(message);
        }
    }

    /**
     * Loads a name up to {@code upTo} in {@code epoch}: its snapshot, then its entries after it.
     *
     * @throws IllegalStateException when it cannot be loaded whole: its snapshot is refused and the log was trimmed,
     *                               or it kept being trimmed while loading
     */
    void load(ClusterSignalTree tree, String epoch, long upTo)
            throws InterruptedException, ExecutionException, TimeoutException {
        long previous = -1;
        for (int attempt = 0; ; attempt++) {
            Optional<Stored> snapshot;
            boolean refused = false;
            try {
                snapshot = storedSnapshot(tree.name(), epoch);
            } catch (RefusedSnapshot e) { // the log alone gives the state, if nothing of it was trimmed
                snapshot = Optional.empty();
                refused = true;
            }
            long after = snapshot.map(Stored::position).orElse(0L);
            if (snapshot.isPresent()) {
                tree.replaceWith(after, snapshot.get().state());
            } else {
                tree.clear(epoch); // nothing of an attempt before stays
            }
            // Entries were trimmed past the snapshot. A compactor snapshots every name it trims entries of, before
            // it trims: so when the snapshot is still the one read before, the name had none there.
            if (catchUp(tree, epoch, after, upTo, after != previous || refused)) {
                return;
            }
            if (refused) {
                throw new IllegalStateException("signal '" + tree.name() + "' has a stored snapshot this node refuses "
                        + "and the log was trimmed; it loads once a node that holds it writes a new snapshot");
            }
            if (attempt == 5) {
                throw new IllegalStateException("signal '" + tree.name() + "' kept being trimmed while loading");
            }
            previous = after;
        }
    }

    /** {@link #resync} for every tree held; {@code resynced} is told each tree whose state was replaced. */
    void resyncAll(SignalTrees trees, String epoch, Consumer<ClusterSignalTree> resynced)
            throws InterruptedException, ExecutionException, TimeoutException {
        for (SignalTrees.Ref ref : trees.refs()) {
            ClusterSignalTree tree = ref.loadedTree();
            if (tree != null && resync(tree, epoch)) {
                resynced.accept(tree);
            }
        }
    }

    /**
     * A node behind the watermark: the tree starts again from its newest snapshot when that is ahead of it (the
     * compactor wrote one at the watermark for every name it trimmed entries of).
     *
     * @return whether the tree's state was replaced
     */
    boolean resync(ClusterSignalTree tree, String epoch) throws InterruptedException, ExecutionException,
            TimeoutException {
        Optional<Stored> snapshot;
        try {
            snapshot = storedSnapshot(tree.name(), epoch);
        } catch (RefusedSnapshot e) {
            return false; // logged; the tree keeps its state and catches up from the log
        }
        if (snapshot.isPresent() && snapshot.get().position() > tree.position) {
            tree.replaceWith(snapshot.get().position(), snapshot.get().state());
            return true;
        }
        return false;
    }

    /** A snapshot and its position. */
    record Stored(long position, SignalCodec.State state) {
    }

    /**
     * The newest snapshot of {@code name} stored for {@code epoch}, if there is one.
     *
     * @throws RefusedSnapshot when the stored one is refused, or of another epoch (a node that had not noticed the
     *                         engine lost its data wrote it)
     */
    Optional<Stored> storedSnapshot(String name, String epoch)
            throws InterruptedException, ExecutionException, TimeoutException {
        Optional<SignalSnapshot> snapshot = call(log.snapshot(name).toCompletableFuture(), callTimeout);
        if (snapshot.isEmpty()) {
            return Optional.empty();
        }
        try {
            SignalCodec.State state = codec.decode(snapshot.get());
            if (!state.epoch().equals(epoch)) {
                LOG.info("Shared signal '{}': its stored snapshot is of the engine's epoch {}, not {}; not used",
                        name, state.epoch(), epoch);
                throw new RefusedSnapshot("the stored snapshot of signal '" + name + "' is of another epoch", null);
            }
            return Optional.of(new Stored(snapshot.get().position(), state));
        } catch (IllegalArgumentException e) {
            LOG.error("Shared signal '{}': its stored snapshot is refused: {}", name, e.getMessage());
            throw new RefusedSnapshot("the stored snapshot of signal '" + name + "' is refused", e);
        }
    }

    /**
     * Applies the name's entries in ({@code after}, {@code upTo}] of {@code epoch}; with {@code strict}, false when
     * entries past {@code after} were trimmed (a newer snapshot may hold them).
     *
     * @throws EpochChanged when the log is at another epoch
     */
    private boolean catchUp(ClusterSignalTree tree, String epoch, long after, long upTo, boolean strict)
            throws InterruptedException, ExecutionException, TimeoutException {
        long from = after;
        while (from < upTo) {
            SignalRead read = call(log.read(from, tree.name(), PAGE, Duration.ZERO).toCompletableFuture(),
                    callTimeout);
            if (!read.epoch().equals(epoch)) {
                throw new EpochChanged("the signal log's epoch changed while loading '" + tree.name() + "'");
            }
            if (strict && read.trimmed() > after) {
                return false;
            }
            for (SignalEntry entry : read.entries()) {
                if (entry.position() > upTo) {
                    break;
                }
                from = entry.position();
                entries.apply(tree, entry);
            }
            if (read.entries().isEmpty() || read.entries().getLast().position() >= upTo) {
                break;
            }
        }
        tree.position = upTo;
        return true;
    }

    static <T> T call(CompletableFuture<T> future, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
