package dev.flowpubsub;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a node does when the engine lost its data (the log has a new epoch): it remembers its trees' states, empties
 * them (a tree then holds what the new log makes of nothing, on every node alike), reads the new log from its start
 * without appending anything, and once it has read it up to its head, re-seeds each tree that no better re-seed
 * reached (see {@link SignalCodec.Seed}), ahead of the writes that wait. So every node that holds a name ends with
 * one state for it, the one of the node that had read the former log furthest, and no write made on the former state
 * is applied before it. Pages see the state empty for the moment it takes.
 *
 * <p>Threading: the replica's thread only.
 */
final class SignalReseeds {

    private final Map<String, SignalCodec.State> states = new HashMap<>();
    private boolean rereading;

    /** The engine lost its data: remembers the held trees' states, which start again with no seed in the new log. */
    void start(SignalCodec.Seed from, String newEpoch, SignalTrees trees) {
        states.clear();
        for (SignalTrees.Ref ref : trees.refs()) {
            ClusterSignalTree tree = ref.loadedTree();
            if (tree != null) {
                states.put(tree.name(), tree.state(from, newEpoch));
                tree.clear(newEpoch); // the state is what the new log makes of nothing, as on every node
            }
        }
        rereading = true;
    }

    /** Whether the new log is being read up to its head: nothing is appended meanwhile. */
    boolean rereading() {
        return rereading;
    }

    /** The new log is read up to its head: queues the re-seeds no better one reached, ahead of every write. */
    void finish(SignalTrees trees, SignalWriter writer, SignalCodec codec) {
        states.forEach((name, state) -> {
            ClusterSignalTree tree = trees.loaded(name);
            if (tree != null && Objects.requireNonNull(state.seed()).beats(tree.seed)) {
                writer.offerFirst(tree, codec.reseed(state));
            }
        });
        states.clear();
        rereading = false;
    }
}
