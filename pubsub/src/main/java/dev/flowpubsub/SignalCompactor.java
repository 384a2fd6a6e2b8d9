package dev.flowpubsub;

import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Keeps the log short without losing state: before it trims the log up to a position, it writes, for every name that
 * has entries up to there, a snapshot at that position, built from the name's stored snapshot and its entries on a
 * scratch tree. So the trimmer never trims past a name's newest snapshot, and a node that loads a name or falls
 * behind the watermark finds every entry it needs either in a snapshot or in the log. Any node may compact at any
 * time: snapshots are kept only when newer, and trimming only raises the watermark. It gives up, trimming nothing,
 * when the log turns out to be at another epoch than the one it compacts, or a name's stored snapshot is refused.
 *
 * <p>Threading: the replica's thread; it blocks on the log for up to the call timeout per call.
 */
final class SignalCompactor {

    private static final org.slf4j.Logger LOG = Logs.CLUSTER;
    private static final int PAGE = 1_000;

    private final SignalLog log;
    private final SignalCodec codec;
    private final SignalEntries entries;
    private final SignalLoader loader;
    private final Duration callTimeout;
    /** When this node last stored a snapshot ({@link System#nanoTime()}; 0: never). */
    volatile long lastStoredNanos;
    private long lastCompactNanos = System.nanoTime();
    private long lastSnapshotNanos = System.nanoTime();

    SignalCompactor(SignalLog log, SignalCodec codec, SignalEntries entries, SignalLoader loader,
                    Duration callTimeout) {
        this.log = log;
        this.codec = codec;
        this.entries = entries;
        this.loader = loader;
        this.callTimeout = callTimeout;
    }

    /**
     * The replica's regular care: snapshots the trees that changed every snapshot interval, and compacts the log when it
     * holds more than twice the entries to retain, or more than those once an interval has passed.
     */
    void housekeeping(SignalTrees trees, String epoch, long position, long head, long trimmed, SignalSettings settings)
            throws InterruptedException, ExecutionException, TimeoutException {
        long now = System.nanoTime();
        long interval = settings.snapshotInterval().toNanos();
        if (now - lastSnapshotNanos >= interval) {
            lastSnapshotNanos = now;
            snapshotChanged(trees, position, epoch);
        }
        long held = head - trimmed;
        if (held > 2L * settings.retainEntries() || (held > settings.retainEntries() && now - lastCompactNanos >= interval)) {
            lastCompactNanos = now;
            compactKeeping(epoch, trimmed, head, settings.retainEntries());
        }
    }

    /** Snapshots the trees that changed and compacts the log to the newest {@code retain} entries, now. */
    void now(SignalTrees trees, String epoch, long position, long trimmed, long head, long retain)
            throws InterruptedException, ExecutionException, TimeoutException {
        snapshotChanged(trees, position, epoch);
        compactKeeping(epoch, trimmed, head, retain);
    }

    /** Compacts the log so that it keeps the newest {@code retain} entries, if it holds more. */
    void compactKeeping(String epoch, long trimmed, long head, long retain)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (head - retain > trimmed) {
            compact(epoch, trimmed, head - retain);
        }
    }

    /** Snapshots every name with entries in ({@code trimmed}, {@code upTo}] at {@code upTo}, then trims up to it. */
    void compact(String epoch, long trimmed, long upTo)
            throws TimeoutException, ExecutionException, InterruptedException {
        Map<String, List<SignalEntry>> byName = new LinkedHashMap<>();
        long after = trimmed;
        while (after < upTo) {
            SignalRead read = SignalLoader.call(log.read(after, null, PAGE, Duration.ZERO).toCompletableFuture(),
                    callTimeout);
            if (!read.epoch().equals(epoch)) {
                throw new IllegalStateException("the signal log's epoch changed while compacting; nothing trimmed");
            }
            if (read.entries().isEmpty()) {
                break;
            }
            for (SignalEntry entry : read.entries()) {
                if (entry.position() > upTo) {
                    after = upTo;
                    break;
                }
                byName.computeIfAbsent(entry.name(), name -> new ArrayList<>()).add(entry);
                after = entry.position();
            }
        }
        for (Map.Entry<String, List<SignalEntry>> name : byName.entrySet()) {
            try {
                snapshot(name.getKey(), name.getValue(), epoch, upTo);
            } catch (SignalLoader.RefusedSnapshot e) { // built on the entries alone, a snapshot would lose state
                LOG.error("Shared signals: not compacting the log, since {}; a node that holds the name writes a new "
                        + "snapshot when it changes", e.getMessage());
                return;
            }
        }
        SignalLoader.call(log.trim(upTo).toCompletableFuture(), callTimeout);
    }

    private void snapshot(String name, List<SignalEntry> named, String epoch, long upTo)
            throws TimeoutException, ExecutionException, InterruptedException {
        Optional<SignalLoader.Stored> stored = loader.storedSnapshot(name, epoch);
        if (stored.isPresent() && stored.get().position() >= upTo) {
            return;
        }
        ClusterSignalTree scratch = new ClusterSignalTree(name, (tree, commands) -> {
            throw new IllegalStateException("a scratch tree takes no writes");
        });
        if (stored.isPresent()) {
            scratch.replaceWith(stored.get().position(), stored.get().state());
        }
        for (SignalEntry entry : named) {
            if (entry.position() > scratch.position) {
                entries.apply(scratch, entry);
            }
        }
        if (SignalLoader.call(log.putSnapshot(snapshotOf(scratch, upTo, epoch, codec)).toCompletableFuture(),
                callTimeout)) {
            lastStoredNanos = System.nanoTime();
        }
    }

    /** Writes a snapshot, at {@code position}, of every tree held that changed since its last one. */
    void snapshotChanged(SignalTrees trees, long position, String epoch)
            throws TimeoutException, ExecutionException, InterruptedException {
        for (SignalTrees.Ref ref : trees.refs()) {
            ClusterSignalTree tree = ref.loadedTree();
            if (tree != null && tree.position > ref.snapshotAt && SignalLoader.call(log.putSnapshot(
                    snapshotOf(tree, position, epoch, codec)).toCompletableFuture(), callTimeout)) {
                ref.snapshotAt = tree.position; // else again at the next round: a stored one may be of another epoch
                lastStoredNanos = System.nanoTime();
            }
        }
    }

    /** The tree's confirmed state as a snapshot at {@code position} of {@code epoch}. */
    static SignalSnapshot snapshotOf(ClusterSignalTree tree, long position, String epoch, SignalCodec codec) {
        byte[] state = codec.state(tree.state(tree.seed, epoch, tree.changedAt));
        tree.stateBytes = state.length;
        if (state.length > SignalCodec.MAX_STATE_BYTES) {
            throw new IllegalStateException("signal '" + tree.name() + "' holds " + state.length
                    + " bytes, more than a state's limit of " + SignalCodec.MAX_STATE_BYTES + "; its writes are refused");
        }
        return new SignalSnapshot(tree.name(), position, SignalCodec.FORMAT, SignalCodec.writer(), state);
    }
}
