package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The trees this node holds, by name, held weakly: a tree lives as long as a signal object uses it (a view's field,
 * a binding), so memory is bounded by the names in use, and a name no signal uses any more is let go, to be loaded
 * again from its snapshot and the log when asked for.
 *
 * <p>Thread-safe: the map is concurrent; a tree is made at most once per name while one is held.
 */
final class SignalTrees {

    /** A held tree: its name, whether it is loaded, and the position of its last snapshot. */
    static final class Ref extends WeakReference<ClusterSignalTree> {
        final String name;
        final CompletableFuture<Void> loaded = new CompletableFuture<>();
        /** The tree's position at its last snapshot. Replica thread. */
        long snapshotAt;
        /** How many times loading the name failed. Replica thread. */
        int loadFailures;
        /** The round at which a load that failed is tried again. Replica thread. */
        long retryRound;

        Ref(ClusterSignalTree tree, ReferenceQueue<ClusterSignalTree> queue) {
            super(tree, queue);
            this.name = tree.name();
        }

        /** The tree, once loaded and while some signal uses it. */
        @Nullable ClusterSignalTree loadedTree() {
            return loaded.isDone() ? get() : null;
        }
    }

    /** A request to the replica's thread to load a name. */
    record Load(Ref ref) implements Runnable {
        @Override
        public void run() {
            throw new UnsupportedOperationException("run by the replica, which loads the name");
        }
    }

    /** The tree made for a name, and its reference. */
    record Held(ClusterSignalTree tree, Ref ref) {
    }

    /** The most rounds a name that cannot be loaded waits before it is tried again. */
    static final int MAX_RETRY_ROUNDS = 64;

    private final Map<String, Ref> refs = new ConcurrentHashMap<>();
    /** Loads that failed, waiting for their round. Replica thread. */
    private final List<Load> retries = new ArrayList<>();
    private long round;
    private final ReferenceQueue<ClusterSignalTree> released = new ReferenceQueue<>();

    /** The tree of {@code name}: the one held, or a new one (not loaded yet) submitting to {@code submitter}. */
    Held hold(String name, ClusterSignalTree.Submitter submitter) {
        AtomicReference<@Nullable ClusterSignalTree> tree = new AtomicReference<>();
        Ref ref = refs.compute(name, (key, existing) -> {
            ClusterSignalTree live = existing == null ? null : existing.get();
            if (live != null) {
                tree.set(live);
                return existing;
            }
            ClusterSignalTree made = new ClusterSignalTree(name, submitter);
            tree.set(made);
            return new Ref(made, released);
        });
        return new Held(Objects.requireNonNull(tree.get()), ref);
    }

    /** The loaded tree of {@code name}, if this node holds one. */
    @Nullable ClusterSignalTree loaded(String name) {
        Ref ref = refs.get(name);
        return ref == null ? null : ref.loadedTree();
    }

    /** The references of the trees held now (some may be let go or not loaded yet). */
    List<Ref> refs() {
        return new ArrayList<>(refs.values());
    }

    /**
     * A load failed: it is tried again after twice as many rounds as the last time, up to {@value #MAX_RETRY_ROUNDS}
     * (a round is one pass of the replica: at most its read wait when idle), not at once, so a name that cannot be
     * loaded costs the engine a read now and then. Replica thread.
     */
    void retryLater(Load load) {
        Ref ref = load.ref();
        ref.retryRound = round + Math.min(1L << Math.min(ref.loadFailures, 6), MAX_RETRY_ROUNDS);
        retries.add(load);
    }

    /** Starts a round: the loads whose round came. Replica thread. */
    List<Load> dueRetries() {
        round++;
        List<Load> due = new ArrayList<>();
        retries.removeIf(load -> load.ref().retryRound <= round && due.add(load));
        return due;
    }

    /** How many names this node holds a tree for, after letting go those no signal uses. */
    int inUse() {
        for (var gone = released.poll(); gone != null; gone = released.poll()) {
            Ref ref = (Ref) gone;
            refs.remove(ref.name, ref);
        }
        return refs.size();
    }
}
