package dev.flowpubsub;

import com.vaadin.flow.signals.SignalCommand;
import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * This node's copy of the shared signals: one {@link ClusterSignalTree} per name in use, kept equal to every other
 * node's by confirming the log's entries in the log's order, the node's own among them. It reads the log, applies
 * entries, loads names (snapshot plus the entries after it), re-synchronizes from snapshots when it fell behind the
 * trim watermark, re-seeds the log when the engine lost its data, refuses writes that will never be confirmed, and
 * has the {@link SignalCompactor} keep the log short.
 *
 * <p>Threading: everything that touches a tree's confirmed state runs on one thread, the replica's: its own reader
 * thread, or the caller of {@link #step()} for an engine without one (a deterministic test engine). Never on the
 * engine's threads. {@link #submit} runs on the writer's thread and hands the write over.
 */
final class SignalReplica implements ClusterSignalTree.Submitter, AutoCloseable {

    private static final Logger LOG = Logs.CLUSTER;
    private static final int PAGE = 500;
    private static final Duration READ_WAIT = Duration.ofMillis(100);
    private static final int LOGGED_REJECTIONS = 20;

    /** Checks a page's write before it goes: authorization and the send budget. */
    @FunctionalInterface
    interface WriteGate {
        /** The reason to refuse the write, or {@code null}. On the writer's thread. */
        @Nullable String refusal(String name);
    }

    private final SignalLog log;
    private final SignalCodec codec = new SignalCodec();
    private final SignalSettings settings;
    private final String origin;
    private final WriteGate gate;
    private final SignalWriter writer;
    private final SignalCompactor compactor;
    private final Map<String, TreeRef> trees = new ConcurrentHashMap<>();
    private final ReferenceQueue<ClusterSignalTree> released = new ReferenceQueue<>();
    private final LinkedBlockingQueue<Runnable> requests = new LinkedBlockingQueue<>();
    private final @Nullable Thread thread;
    private volatile boolean closed;

    /* The replica thread's state. */
    private @Nullable String epoch;
    private long position;
    private long head;
    private long trimmed;
    private long lastCompactNanos = System.nanoTime();
    private long lastSnapshotNanos = System.nanoTime();
    /** After the engine lost its data: this node's states as they were, to re-seed the new log with. */
    private final Map<String, SignalCodec.State> reseeds = new java.util.HashMap<>();

    final LongAdder applied = new LongAdder();
    final LongAdder refused = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder resyncs = new LongAdder();
    final LongAdder resets = new LongAdder();

    private static final class TreeRef extends WeakReference<ClusterSignalTree> {
        final String name;
        final CompletableFuture<Void> loaded = new CompletableFuture<>();
        long snapshotAt;

        TreeRef(ClusterSignalTree tree, ReferenceQueue<ClusterSignalTree> queue) {
            super(tree, queue);
            this.name = tree.name();
        }
    }

    SignalReplica(SignalLog log, String origin, SignalSettings settings, WriteGate gate, Executor pageWork) {
        SignalTreeAccess.check();
        this.log = log;
        this.origin = origin;
        this.settings = settings;
        this.gate = gate;
        this.writer = new SignalWriter(origin, settings.maxPending(), settings.writeTimeout());
        this.compactor = new SignalCompactor(log, codec, settings.callTimeout());
        if (log.readerThread()) {
            thread = Thread.ofPlatform().daemon().name("flow-pubsub-signals-" + origin).inheritInheritableThreadLocals(false)
                    .start(() -> {
                SignalEffects.bind(pageWork);
                run();
            });
        } else {
            thread = null;
            log.onStep(this::step);
        }
    }

    /* --- Trees --- */

    /**
     * The tree of {@code name}, made and loaded if this node holds none: waits for the load up to the load timeout
     * when the replica has a thread of its own (a deterministic engine loads on its next step).
     */
    ClusterSignalTree tree(String name) {
        if (closed) {
            throw new IllegalStateException("the hub is closed");
        }
        ClusterSignalTree[] made = new ClusterSignalTree[1];
        TreeRef ref = trees.compute(name, (key, existing) -> {
            ClusterSignalTree tree = existing == null ? null : existing.get();
            if (tree != null) {
                made[0] = tree;
                return existing;
            }
            made[0] = new ClusterSignalTree(name, this);
            return new TreeRef(made[0], released);
        });
        ClusterSignalTree tree = made[0];
        if (!ref.loaded.isDone()) {
            requests.add(new LoadRequest(ref)); // a repeat finds it loaded and does nothing
        }
        if (thread != null && Thread.currentThread() != thread) {
            try {
                ref.loaded.get(settings.loadTimeout().toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                LOG.warn("Shared signal '{}' not loaded within {}; it fills in when the engine answers", name,
                        settings.loadTimeout());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return tree;
    }

    private record LoadRequest(TreeRef ref) implements Runnable {
        @Override
        public void run() {
            throw new UnsupportedOperationException("run by the replica");
        }
    }

    /** How many names this node holds a tree for (a tree no signal uses any more is let go). */
    int namesInUse() {
        purgeReleased();
        return trees.size();
    }

    private void purgeReleased() {
        for (var gone = released.poll(); gone != null; gone = released.poll()) {
            TreeRef ref = (TreeRef) gone;
            trees.remove(ref.name, ref);
        }
    }

    /* --- Writes --- */

    @Override
    public void submit(ClusterSignalTree tree, List<SignalCommand> commands) {
        String reason = gate.refusal(tree.name());
        if (reason == null && tree.submitted().nodes().size() > settings.maxNodes()) {
            reason = "size: signal '" + tree.name() + "' would hold more than " + settings.maxNodes() + " nodes";
        }
        if (reason == null) {
            byte[] payload = codec.commands(commands);
            if (payload.length > settings.maxEntryBytes()) {
                reason = "size: the write is " + payload.length + " bytes encoded, more than the limit of "
                        + settings.maxEntryBytes() + " bytes";
            } else {
                reason = writer.offer(tree, commands, payload);
            }
        }
        if (reason != null) {
            String why = "refused: " + reason;
            List<SignalCommand> refusedCommands = List.copyOf(commands);
            refused.increment();
            requests.add(() -> tree.refuse(refusedCommands, why));
        }
    }

    /* --- The replica's thread --- */

    private void run() {
        long failures = 0;
        while (!closed) {
            try {
                boolean ran = runRequests();
                boolean flushed = flush();
                pump(ran || flushed || !requests.isEmpty() ? Duration.ZERO : READ_WAIT);
                housekeeping();
                failures = 0;
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (closed) {
                    return;
                }
                writer.unreachable();
                failures++;
                if (failures == 1) {
                    LOG.warn("Shared signals: the engine failed ({}); retrying", e.toString());
                }
                try {
                    Thread.sleep(dev.flowpubsub.spi.support.Backoff.RECONNECT.pause(failures).toMillis());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /**
     * Reads and applies what is there without waiting, runs what was handed over and appends what waits: a
     * deterministic engine's step.
     *
     * @return whether anything was done
     */
    boolean step() {
        if (closed) {
            return false;
        }
        try {
            boolean ran = runRequests();
            boolean flushed = flush();
            boolean read = pump(Duration.ZERO);
            return ran || flushed || read;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            writer.unreachable();
            return false; // the engine is unreachable (partitioned, lost): the next step tries again
        }
    }

    private boolean runRequests() throws InterruptedException, ExecutionException, TimeoutException {
        boolean any = false;
        for (Runnable request = requests.poll(); request != null; request = requests.poll()) {
            any = true;
            if (request instanceof LoadRequest(TreeRef ref)) {
                if (!ref.loaded.isDone()) {
                    try {
                        load(ref);
                    } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
                        requests.add(request); // again, after the engine is back
                        throw e;
                    }
                }
            } else {
                request.run();
            }
        }
        return any;
    }

    /** Appends what waits; whether anything went or was refused. */
    private boolean flush() {
        boolean queued = writer.hasQueued();
        List<SignalWriter.Pending> expired = writer.flush(log, settings.callTimeout());
        for (SignalWriter.Pending pending : expired) {
            refused.increment();
            pending.tree().refuse(pending.commands(), "refused: the engine did not take the write within "
                    + settings.writeTimeout() + " (unreachable)");
        }
        return (queued && !writer.hasQueued()) || !expired.isEmpty();
    }

    private boolean pump(Duration wait) throws InterruptedException, ExecutionException, TimeoutException {
        SignalRead read = call(log.read(position, null, PAGE, wait).toCompletableFuture(),
                wait.plus(settings.callTimeout()));
        writer.reachable();
        head = read.head();
        if (epoch == null) {
            epoch = read.epoch();
            position = read.head(); // nothing is loaded yet: a load reads a name's entries up to here itself
            trimmed = read.trimmed();
            return true;
        } else if (!epoch.equals(read.epoch())) {
            reset(read.epoch());
            return true;
        }
        trimmed = Math.max(trimmed, read.trimmed());
        if (read.trimmed() > position) {
            resync(read.trimmed());
            return true;
        }
        for (SignalEntry entry : read.entries()) {
            if (entry.position() != position + 1) {
                LOG.warn("Shared signals: the log skipped from {} to {}; re-synchronizing from snapshots", position,
                        entry.position());
                resync(entry.position() - 1);
                return true;
            }
            position = entry.position();
            apply(entry);
        }
        if (!reseeds.isEmpty() && position >= read.head()) {
            reseedIfBest();
            return true;
        }
        return !read.entries().isEmpty();
    }

    private void apply(SignalEntry entry) {
        if (entry.originNode().equals(origin)) {
            writer.readBack(entry.sequence());
        }
        TreeRef ref = trees.get(entry.name());
        ClusterSignalTree tree = ref == null || !ref.loaded.isDone() ? null : ref.get();
        if (tree == null || tree.isRepeat(entry.originNode(), entry.sequence())) {
            return;
        }
        try {
            applyTo(tree, entry, decode(entry));
            applied.increment();
        } catch (IllegalArgumentException e) {
            reject(entry, e);
        }
    }

    /**
     * An entry's payload, refused unread when it is larger than a whole state may be, and refused after decoding when
     * it is a write larger than this node would take (a re-seed carries a whole state).
     */
    private SignalCodec.Payload decode(SignalEntry entry) {
        int size = entry.payload().length;
        if (size > SignalCodec.MAX_STATE_BYTES) {
            throw new IllegalArgumentException(size + " bytes, more than a state's limit of "
                    + SignalCodec.MAX_STATE_BYTES);
        }
        SignalCodec.Payload payload = codec.decode(entry);
        if (payload.reseed() == null && size > settings.maxEntryBytes()) {
            throw new IllegalArgumentException("a write of " + size + " bytes, more than the limit of "
                    + settings.maxEntryBytes());
        }
        return payload;
    }

    /** Counts an entry that is not applied; logs the first ones (a hostile writer must not flood the log). */
    private void reject(SignalEntry entry, IllegalArgumentException why) {
        rejected.increment();
        if (rejected.sum() <= LOGGED_REJECTIONS) {
            LOG.error("Shared signal entry {} refused, not applied{}: {}", entry,
                    rejected.sum() == LOGGED_REJECTIONS ? " (the last one logged; the others are counted)" : "",
                    why.getMessage());
        }
    }

    /** Applies a decoded entry: a submit's commands, or a re-seed that replaces the tree's state. */
    static void applyTo(ClusterSignalTree tree, SignalEntry entry, SignalCodec.Payload payload) {
        SignalCodec.State reseed = payload.reseed();
        if (reseed != null) {
            SignalCodec.Seed seed = reseed.seed();
            if (seed != null && seed.beats(tree.seed)) { // the node that had read most wins, everywhere alike
                tree.replaceWith(entry.position(), reseed);
            }
        } else {
            tree.apply(entry.position(), entry.originNode(), entry.sequence(),
                    Objects.requireNonNull(payload.commands()));
        }
    }

    /** Loads a name: its snapshot, then its entries after it, up to where this node has read. */
    private void load(TreeRef ref) throws InterruptedException, ExecutionException, TimeoutException {
        ClusterSignalTree tree = ref.get();
        if (tree == null) {
            return;
        }
        if (epoch == null) {
            pump(Duration.ZERO);
        }
        for (int attempt = 0; ; attempt++) {
            Optional<SignalSnapshot> snapshot = call(log.snapshot(tree.name()).toCompletableFuture(),
                    settings.callTimeout());
            long after = snapshot.map(SignalSnapshot::position).orElse(0L);
            if (snapshot.isPresent()) {
                tree.replaceWith(after, codec.decode(snapshot.get()));
            }
            if (catchUp(tree, after)) {
                break;
            }
            if (attempt == 5) {
                throw new IllegalStateException("signal '" + tree.name() + "' kept being trimmed while loading");
            }
        }
        ref.snapshotAt = tree.position;
        ref.loaded.complete(null);
    }

    /** Applies the name's entries in ({@code after}, this node's position]; false when some were trimmed meanwhile. */
    private boolean catchUp(ClusterSignalTree tree, long after)
            throws InterruptedException, ExecutionException, TimeoutException {
        long from = after;
        while (from < position) {
            SignalRead read = call(log.read(from, tree.name(), PAGE, Duration.ZERO).toCompletableFuture(),
                    settings.callTimeout());
            if (read.trimmed() > after) {
                return false;
            }
            if (read.entries().isEmpty()) {
                break;
            }
            for (SignalEntry entry : read.entries()) {
                if (entry.position() > position) {
                    tree.position = position;
                    return true;
                }
                from = entry.position();
                if (!tree.isRepeat(entry.originNode(), entry.sequence())) {
                    try {
                        applyTo(tree, entry, decode(entry));
                    } catch (IllegalArgumentException e) {
                        reject(entry, e);
                    }
                }
            }
        }
        tree.position = position;
        return true;
    }

    /** Fell behind the watermark: every tree held starts again from its newest snapshot. */
    private void resync(long upTo) throws InterruptedException, ExecutionException, TimeoutException {
        resyncs.increment();
        LOG.info("Shared signals: this node is behind the log's trim watermark ({} < {}); loading snapshots",
                position, upTo);
        for (TreeRef ref : trees.values()) {
            ClusterSignalTree tree = ref.get();
            if (tree != null && ref.loaded.isDone()) {
                Optional<SignalSnapshot> snapshot = call(log.snapshot(tree.name()).toCompletableFuture(),
                        settings.callTimeout());
                if (snapshot.isPresent() && snapshot.get().position() > tree.position) {
                    tree.replaceWith(snapshot.get().position(), codec.decode(snapshot.get()));
                }
            }
        }
        position = Math.max(position, upTo);
    }

    /**
     * The engine lost its data (a new epoch): writes appended and not read back are gone and refused. This node keeps
     * its trees' states as they were and reads the new log from its start; once it has read it up to its head, it
     * re-seeds each tree that no better re-seed reached (see {@link SignalCodec.Seed}), so every node that holds a
     * name ends with one state for it: the one of the node that had read the former log furthest.
     */
    private void reset(String newEpoch) {
        resets.increment();
        LOG.warn("Shared signals: the engine lost its data (epoch {} -> {}); writing this node's state again", epoch,
                newEpoch);
        SignalCodec.Seed from = new SignalCodec.Seed(Objects.requireNonNull(epoch), position);
        epoch = newEpoch;
        position = 0;
        trimmed = 0;
        for (SignalWriter.Pending lost : writer.lostWithEngine()) {
            refused.increment();
            lost.tree().refuse(lost.commands(), "lost: the engine lost its data before the write was applied");
        }
        reseeds.clear();
        for (TreeRef ref : trees.values()) {
            ClusterSignalTree tree = ref.get();
            if (tree != null && ref.loaded.isDone()) {
                tree.position = 0;
                reseeds.put(tree.name(), tree.state(from));
                tree.seed = null; // the first re-seed in the new log is taken, then only better ones
            }
        }
    }

    /** After a reset, once the new log is read up to its head: re-seeds what no better re-seed reached. */
    private void reseedIfBest() {
        reseeds.forEach((name, state) -> {
            TreeRef ref = trees.get(name);
            ClusterSignalTree tree = ref == null ? null : ref.get();
            SignalCodec.Seed seed = Objects.requireNonNull(state.seed());
            if (tree != null && seed.beats(tree.seed)) {
                writer.offer(tree, List.of(), codec.reseed(state));
            }
        });
        reseeds.clear();
    }

    private void housekeeping() throws InterruptedException, ExecutionException, TimeoutException {
        purgeReleased();
        long now = System.nanoTime();
        if (now - lastSnapshotNanos >= settings.snapshotInterval().toNanos()) {
            lastSnapshotNanos = now;
            snapshotAll();
        }
        if (head - trimmed > 2L * settings.retainEntries() || (head - trimmed > settings.retainEntries()
                && now - lastCompactNanos >= settings.snapshotInterval().toNanos())) {
            lastCompactNanos = now;
            compactor.compact(trimmed, head - settings.retainEntries());
        }
    }

    /** Writes a snapshot of every tree held that changed since its last one. */
    void snapshotAll() throws InterruptedException, ExecutionException, TimeoutException {
        for (TreeRef ref : trees.values()) {
            ClusterSignalTree tree = ref.get();
            if (tree != null && ref.loaded.isDone() && tree.position > ref.snapshotAt) {
                call(log.putSnapshot(SignalCompactor.snapshotOf(tree, position, codec)).toCompletableFuture(),
                        settings.callTimeout());
                ref.snapshotAt = tree.position;
            }
        }
    }

    /**
     * Snapshots and trims the log down to the retained entries, on the replica's thread (at the next step of a
     * deterministic engine): what retention does, when a test wants it.
     */
    CompletableFuture<Void> compactNowForTests() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        requests.add(() -> {
            try {
                if (head - settings.retainEntries() > trimmed) {
                    compactor.compact(trimmed, head - settings.retainEntries());
                }
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        return done;
    }

    /** The position this node has applied the log up to. Replica thread, or a test between steps. */
    long position() {
        return position;
    }

    /** Writes not yet confirmed or refused. */
    int inFlight() {
        return writer.inFlight();
    }

    private static <T> T call(CompletableFuture<T> future, Duration timeout)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
