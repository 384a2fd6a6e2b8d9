package dev.flowpubsub;

import dev.flowpubsub.spi.SignalEntry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a node does when the engine lost its data (the log has a new epoch): it remembers its trees' states, empties
 * them (a tree then holds what the new log makes of nothing, on every node alike), reads the new log from its start
 * without appending anything, and once it has read it up to its head, re-seeds each tree whose state it had read
 * further than whoever re-seeded it (see {@link SignalCodec.Seed}), ahead of the writes that wait.
 *
 * <p>A re-seed carries the node's former state with every write the new log applied to the name on top, in the log's
 * order, and the position of the last change it was made on; a tree that changed since (a write, a weaker re-seed
 * landed meanwhile) does not take it, on any node, and the node makes it again. So every node that holds a name ends
 * with one state for it, the one of the node that had read the former log furthest, with every write of the new log
 * on top, however late that node comes back. What it cannot make is given up, with a warning: the new log was trimmed
 * before it read it (the compactor ran: the cluster moved on), or the writes to apply on top exceed a state's limit.
 * Pages see the state empty for the moment it takes; a conditional write applied again on a better state may come
 * out otherwise than its writer was told.
 *
 * <p>Threading: the replica's thread only.
 */
final class SignalReseeds {

    private static final Logger LOG = Logs.CLUSTER;

    /** A former state not re-seeded yet, and the writes the new log applied to its name since it started. */
    private static final class Former {
        final SignalCodec.State state;
        final List<SignalEntry> writes = new ArrayList<>();
        long bytes;

        Former(SignalCodec.State state) {
            this.state = state;
        }
    }

    private final String origin;
    private final SignalCodec codec;
    private final SignalEntries entries;
    private final SignalWriter writer;
    private final Map<String, Former> formers = new HashMap<>();
    private boolean rereading;

    SignalReseeds(String origin, SignalCodec codec, SignalEntries entries, SignalWriter writer) {
        this.origin = origin;
        this.codec = codec;
        this.entries = entries;
        this.writer = writer;
    }

    /**
     * The engine lost its data: remembers the held trees' states, read up to {@code readTo} of {@code formerEpoch},
     * which start again with no seed in the new log, and ends the writes appended and not read back as unknown (a node
     * that had read them re-seeds them). A state whose re-seed had not landed yet when the engine lost its data again
     * is the former state with the writes read since on top; a re-seed still queued for the lost log is dropped.
     *
     * @return how many writes it ended
     */
    int start(String formerEpoch, long readTo, String newEpoch, SignalTrees trees) {
        Map<String, Former> unresolved = new HashMap<>(formers);
        formers.clear();
        writer.dropReseeds();
        for (SignalTrees.Ref ref : trees.refs()) {
            ClusterSignalTree tree = ref.loadedTree();
            ref.snapshotAt = 0; // positions start again: the new log's snapshots are due from its start
            if (tree != null) {
                Former before = unresolved.get(tree.name());
                SignalCodec.State state = before == null
                        ? tree.state(SignalCodec.Seed.of(formerEpoch, readTo, tree.seed), newEpoch, 0)
                        : replayed(before, SignalCodec.Seed.of(formerEpoch, readTo, before.state.seed()), newEpoch, 0);
                formers.put(tree.name(), new Former(state));
                tree.clear(newEpoch); // the state is what the new log makes of nothing, as on every node
            }
        }
        rereading = true;
        return writer.refuseAppended("unknown: the engine lost its data before this node read the write back; it is "
                + "applied on every node if a node that had read it re-seeds the new log");
    }

    /** Whether the new log is being read up to its head: nothing is appended meanwhile. */
    boolean rereading() {
        return rereading;
    }

    /** The new log is read up to its head: queues the re-seeds no better one reached, ahead of every write. */
    void finish(SignalTrees trees) {
        rereading = false;
        for (String name : List.copyOf(formers.keySet())) {
            offer(name, trees.loaded(name));
        }
    }

    /** An entry was applied to {@code tree} with {@code outcome}: a write is kept to apply again, a re-seed settles. */
    void applied(ClusterSignalTree tree, SignalEntry entry, SignalEntries.Outcome outcome) {
        Former former = formers.get(tree.name());
        if (former == null) {
            return;
        }
        boolean mine = entry.originNode().equals(origin);
        switch (outcome) {
            case APPLIED -> {
                former.writes.add(entry);
                former.bytes += entry.payload().length;
                if (former.bytes > SignalCodec.MAX_STATE_BYTES) {
                    giveUp(tree.name(), "the new log's writes to it exceed a state's limit");
                }
            }
            case REPLACED -> {
                if (mine || !Objects.requireNonNull(former.state.seed()).beats(tree.seed)) {
                    formers.remove(tree.name()); // in, or a state read as far or further is
                }
            }
            case STALE -> {
                if (mine && !rereading) {
                    offer(tree.name(), tree);
                }
            }
            case BEATEN -> {
                if (mine) {
                    formers.remove(tree.name()); // a state read as far or further is in
                }
            }
            case SKIPPED -> {
                // a repeat or a refused entry: no re-seed settled
            }
        }
    }

    /** The node fell behind the new log's watermark: the writes to apply on top of a former state are not all here. */
    void resynced(ClusterSignalTree tree) {
        if (formers.containsKey(tree.name())) {
            giveUp(tree.name(), "the new log was trimmed before this node read it");
        }
    }

    private void giveUp(String name, String why) {
        formers.remove(name);
        LOG.warn("Shared signals: this node's state of '{}' from before the engine lost its data is not re-seeded: {}",
                name, why);
    }

    /** Queues the former state of {@code name} with the new log's writes on top, if it beats the tree's seed. */
    private void offer(String name, @Nullable ClusterSignalTree tree) {
        Former former = formers.get(name);
        if (former == null || tree == null || !Objects.requireNonNull(former.state.seed()).beats(tree.seed)) {
            formers.remove(name);
            return;
        }
        SignalCodec.State state = former.state;
        writer.offerFirst(tree, codec.reseed(replayed(former, state.seed(), state.epoch(), tree.changedAt)));
    }

    /** The former state with the new log's writes applied on top, in the log's order, as the given seed says. */
    private SignalCodec.State replayed(Former former, SignalCodec.@Nullable Seed seed, String epoch, long changedAt) {
        ClusterSignalTree scratch = new ClusterSignalTree("scratch", (ignored, commands) -> {
            throw new IllegalStateException("a scratch tree takes no writes");
        });
        scratch.replaceWith(0, former.state);
        former.writes.forEach(write -> entries.apply(scratch, write)); // a write the former state holds is a repeat
        return scratch.state(seed, epoch, changedAt);
    }
}
