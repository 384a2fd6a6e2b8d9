package dev.flowpubsub;

import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.SignalCommand;
import com.vaadin.flow.signals.shared.impl.AsynchronousSignalTree;
import com.vaadin.flow.signals.shared.impl.CommandResult;
import com.vaadin.flow.signals.shared.impl.CommandsAndHandlers;
import com.vaadin.flow.signals.shared.impl.MutableTreeRevision;
import com.vaadin.flow.signals.shared.impl.Snapshot;
import org.jspecify.annotations.Nullable;

import java.io.InvalidObjectException;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The tree of one named shared signal on this node: what Vaadin's signals on it submit goes to the log through
 * {@link Submitter}, and the node's {@link SignalReplica} confirms what the log gives back, in the log's order, the
 * node's own among it. So every node's {@link #confirmed()} is the same at the same log position.
 *
 * <p>Threading: {@link #submit} runs on the writer's thread under the tree's lock (Vaadin calls it so);
 * {@link #apply}, {@link #replaceWith} and {@link #refuse} run on the replica's thread only. The bookkeeping fields
 * ({@code position}, {@code origins}) belong to the replica's thread.
 */
final class ClusterSignalTree extends AsynchronousSignalTree {

    /** Where a tree's submits go: the replica's writer. */
    @FunctionalInterface
    interface Submitter {
        void submit(ClusterSignalTree tree, List<SignalCommand> commands);

        /** A write of the tree ended without being applied, or with an outcome not known, for {@code reason}. */
        default void refused(String reason) {
        }
    }

    private final String name;
    private final Submitter submitter;
    /** The kind and type of signal the name was first made as here; later ones must match. */
    private final AtomicReference<@Nullable String> kind = new AtomicReference<>();
    /** The log position this tree's confirmed state includes every entry up to. Replica thread only. */
    long position;
    /** The size of the state's last snapshot, in bytes: writes that would take it past the limit are refused. */
    volatile long stateBytes;
    /** The last sequence applied per origin node. Replica thread only. */
    final Map<String, Long> origins = new HashMap<>();
    /**
     * Where the state was re-seeded from since the engine last lost its data; {@code null} when not in this epoch. A
     * re-seed that does not beat it is ignored. Replica thread only.
     */
    SignalCodec.@Nullable Seed seed;
    /** The log position of the last entry that changed the state in this epoch (0: none). Replica thread only. */
    long changedAt;
    /**
     * Until when ({@link System#nanoTime()}) this node appends no write to the tree: a better re-seed is being made
     * again, and a write landing first would make it stale again. Set and cleared on the replica's thread.
     */
    private volatile long writesHeldUntil;

    ClusterSignalTree(String name, Submitter submitter) {
        this.name = name;
        this.submitter = submitter;
    }

    String name() {
        return name;
    }

    /** Claims the tree for a kind of signal; returns the kind it holds (the given one, unless claimed before). */
    String claim(String wanted) {
        return kind.compareAndSet(null, wanted) ? wanted : Objects.requireNonNull(kind.get());
    }

    @Override
    protected void submit(List<SignalCommand> commands) {
        submitter.submit(this, commands);
    }

    /**
     * Whether {@code commands} only verify that what a transaction read is unchanged ({@code LastUpdateCondition}s,
     * which Vaadin makes for a transaction's reads, not for any public operation), writing nothing: Vaadin submits one
     * per effect that re-runs inside a transaction. They need no log entry: checked on this node, as reads are. A
     * {@code verifyValue} and its kin are operations of their own and keep the log's order.
     */
    static boolean onlyChecks(List<SignalCommand> commands) {
        return !commands.isEmpty() && commands.stream().allMatch(command -> command instanceof SignalCommand.LastUpdateCondition
                || (command instanceof SignalCommand.TransactionCommand transaction && onlyChecks(transaction.commands())));
    }

    /** Whether an entry of {@code origin} numbered {@code sequence} was applied already (a repeat of an append). */
    boolean isRepeat(String origin, long sequence) {
        Long last = origins.get(origin);
        return last != null && sequence <= last;
    }

    /**
     * Empties the confirmed state, as a new log starts (the engine lost its data): what every node then holds is what
     * the new log's entries make of nothing, whatever each held before. Pending writes stay pending.
     */
    void clear(String epoch) {
        replaceWith(0, SignalCodec.State.of(new Snapshot(id(), true).nodes(), Map.of(), null, epoch, 0));
        writesHeldUntil = 0;
    }

    /** This tree's confirmed state, to snapshot ({@code changedAt} its own) or re-seed. Replica thread. */
    SignalCodec.State state(SignalCodec.@Nullable Seed from, String epoch, long changedAt) {
        return SignalCodec.State.of(confirmed().nodes(), origins, from, epoch, changedAt);
    }

    /** Confirms one entry's commands, as every node does at this position. */
    void apply(long at, String origin, long sequence, List<SignalCommand> commands) {
        confirm(commands);
        origins.put(origin, sequence);
        position = at;
        changedAt = at;
    }

    /**
     * Makes the confirmed state exactly {@code state}. Vaadin applies a snapshot command by adding its nodes, which
     * removes none (not even nodes no parent lists), so the state is built on an empty revision and put in place of
     * the confirmed one through {@link SignalTreeAccess}; this node's pending writes are applied again on top, and
     * observers told, as a confirm does.
     */
    void replaceWith(long at, SignalCodec.State state) {
        runWithLock(() -> {
            Snapshot before = submitted();
            MutableTreeRevision exact = new MutableTreeRevision(new Snapshot(id(), true));
            exact.apply(List.of(state.nodes()));
            Snapshot confirmed = new Snapshot(exact);
            CommandsAndHandlers pending = SignalTreeAccess.unconfirmed(this);
            Snapshot submitted = confirmed;
            if (!pending.isEmpty()) {
                MutableTreeRevision withPending = new MutableTreeRevision(confirmed);
                withPending.apply(pending.getCommands());
                submitted = new Snapshot(withPending);
            }
            SignalTreeAccess.setSnapshots(this, confirmed, submitted);
            notifyObservers(before, submitted);
        });
        origins.clear();
        origins.putAll(state.origins());
        seed = state.seed();
        position = at;
        changedAt = state.changedAt();
    }

    /** Holds this node's writes to the tree for {@code nanos}, or until a re-seed replaces its state. */
    void holdWrites(long nanos) {
        writesHeldUntil = System.nanoTime() + nanos;
    }

    /** Whether this node's writes to the tree wait (see {@link #holdWrites}). Any thread. */
    boolean writesHeld() {
        long until = writesHeldUntil;
        return until != 0 && until - System.nanoTime() > 0;
    }

    /** Takes a re-seed's state, the entry at {@code at}, as every node does there. */
    void reseed(long at, SignalCodec.State state) {
        replaceWith(at, state);
        changedAt = at;
        writesHeldUntil = 0;
    }

    /**
     * Ends pending writes that will never be confirmed: their operations complete with {@code reason}, and they leave
     * {@link #submitted()}. {@code AsynchronousSignalTree} has no way to do it, so its queue of unconfirmed commands is
     * reached through {@link SignalTreeAccess}; a confirm of an empty transaction, which changes nothing anywhere,
     * then rebuilds {@code submitted()} from the confirmed state and what is still pending.
     */
    void refuse(List<SignalCommand> commands, String reason) {
        if (!commands.isEmpty()) { // a re-seed has no operation to end
            submitter.refused(reason);
        }
        runWithLock(() -> {
            CommandsAndHandlers pending = SignalTreeAccess.unconfirmed(this);
            Map<Id, CommandResult> results = new HashMap<>();
            List<Id> ids = new ArrayList<>();
            commands.forEach(command -> collect(command, reason, results, ids));
            pending.removeHandledCommands(ids);
            pending.notifyResultHandlers(results, commands);
            confirm(List.of(new SignalCommand.TransactionCommand(Id.random(), List.of())));
        });
    }

    private static void collect(SignalCommand command, String reason, Map<Id, CommandResult> results, List<Id> ids) {
        results.put(command.commandId(), CommandResult.fail(reason));
        ids.add(command.commandId());
        if (command instanceof SignalCommand.TransactionCommand transaction) {
            transaction.commands().forEach(inner -> collect(inner, reason, results, ids));
        }
    }

    /**
     * A session holding a view bound to this tree is written with the tree's name and kind in its place (Vaadin's
     * own shared trees refuse to be written); read back, it is the reading node's tree of that name.
     */
    private Object writeReplace() {
        return new Serialized(name, Objects.requireNonNullElse(kind.get(), ""));
    }

    /** A tree in a serialized session. Read back, the tree of {@code name} on the reading node's hub. */
    record Serialized(String name, String kind) implements Serializable {
        private Object readResolve() throws ObjectStreamException {
            ClusterSignals signals = ClusterSignals.forReading();
            if (signals == null) {
                throw new InvalidObjectException("the shared signal '" + name + "' was read back where no hub with "
                        + "shared signals runs, or where several do and no Vaadin service is current: read sessions "
                        + "back inside the application's Vaadin service");
            }
            ClusterSignalTree tree = signals.replica().tree(name);
            String held = kind.isEmpty() ? kind : tree.claim(kind); // no signal had claimed it: nothing to check
            if (!held.equals(kind)) {
                throw new InvalidObjectException("the shared signal '" + name + "' was written as a " + kind
                        + " and is a " + held + " on this node");
            }
            return tree;
        }
    }

    @Override
    public String toString() {
        return "ClusterSignalTree['" + name + "']";
    }
}
