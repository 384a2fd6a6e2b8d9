package dev.flowpubsub;

import com.vaadin.flow.signals.SignalCommand;
import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.support.Backoff;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * This node's copy of the shared signals: one {@link ClusterSignalTree} per name in use, kept equal to every other
 * node's by confirming the log's entries in its order, the node's own among them. The coordinator: it reads the log
 * ({@link SignalReads}) and hands each entry to {@link SignalEntries}, has {@link SignalLoader} load names and resync,
 * {@link SignalWriter} append writes, {@link SignalReseeds} re-seed a log that lost its data, and the
 * {@link SignalCompactor} keep the log short.
 *
 * <p>Threading: everything that touches a tree's confirmed state runs on one thread, the replica's: its own reader
 * thread, or the caller of {@link #step()} for an engine without one (a deterministic test engine). Never on the
 * engine's threads. {@link #submit} runs on the writer's thread and hands the write over; {@link #tree} from any.
 * The pages' effects that a step starts are held by {@link SignalEffects} and handed over after each step of the loop.
 */
final class SignalReplica implements ClusterSignalTree.Submitter, AutoCloseable {

    private static final Logger LOG = Logs.CLUSTER;
    private static final Duration READ_WAIT = Duration.ofMillis(100);

    private final SignalLog log;
    private final SignalCodec codec = new SignalCodec();
    private final SignalSettings settings;
    private final String origin;
    /** A page's write's check (authorization, the send budget): the reason to refuse it, or null. Writer's thread. */
    private final Function<String, @Nullable String> gate;
    private final SignalWriter writer;
    private final SignalEntries entries;
    private final SignalLoader loader;
    private final SignalCompactor compactor;
    final SignalTrees trees = new SignalTrees(); // SignalOwners reads it, to find owners
    private final SignalReseeds reseeds;
    private final SignalReads reads;
    private final SignalRequests requests = new SignalRequests();
    private final @Nullable Thread thread;
    private volatile boolean closed;
    private @Nullable String epoch; // this and the three below: the replica thread's state
    private volatile long position;
    private volatile long head;
    private long trimmed;
    final SignalMeters meters = new SignalMeters();

    SignalReplica(SignalLog log, String origin, SignalSettings settings, Function<String, @Nullable String> gate,
                  SignalEffects.PageWork pageWork) {
        SignalTreeAccess.check();
        this.log = log;
        this.origin = origin;
        this.settings = settings;
        this.gate = gate;
        this.writer = new SignalWriter(origin, settings, codec);
        this.entries = new SignalEntries(codec, settings.maxEntryBytes(), settings.callTimeout());
        this.loader = new SignalLoader(log, codec, entries, settings.callTimeout());
        this.compactor = new SignalCompactor(log, codec, entries, loader, settings.callTimeout());
        this.reseeds = new SignalReseeds(origin, codec, entries, writer);
        this.reads = new SignalReads(log, settings.callTimeout());
        if (log.readerThread()) {
            thread = Thread.ofPlatform().daemon().name("flow-pubsub-signals-" + origin)
                    .inheritInheritableThreadLocals(false).start(() -> {
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
        SignalTrees.Held held = trees.hold(name, this);
        SignalTrees.Ref ref = held.ref();
        if (!ref.loaded.isDone()) {
            requests.add(new SignalTrees.Load(ref)); // a repeat finds it loaded and does nothing
            reads.wake();
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
        return held.tree();
    }

    /* --- Writes --- */

    @Override
    public void submit(ClusterSignalTree tree, List<SignalCommand> commands) {
        if (!closed && ClusterSignalTree.onlyChecks(commands)) { // an effect's reads to verify: no entry, no charge
            requests.addCheck(() -> tree.confirm(commands)); // checked against this node's confirmed state
            reads.wake();
            return;
        }
        String reason = closed ? "the hub is closed" : gate.apply(tree.name());
        if (reason == null) {
            reason = writer.offer(tree, commands);
        }
        if (reason != null) { // refused at the call: it leaves the writer's view now, and the call fails
            String why = "refused: " + reason;
            tree.refuse(List.copyOf(commands), why);
            throw new PubSubSignalRefusedException(why);
        }
        meters.submitted.increment();
        reads.wake();
    }

    @Override
    public void refused(String reason) { meters.refused(reason); }

    /**
     * Whether this node's writes and checks have all ended and their effects are handed to their pages, or the replica
     * has no thread of its own (the test engine's step runs it) or is closed. Any thread; for {@code awaitIdle}.
     */
    boolean settled() {
        return thread == null || closed || (!requests.checking() && writer.settled());
    }

    SignalStats stats() { // this node's signal counters and where it is in the log; any thread
        return meters.stats(trees.inUse(), position, head, entries.rejected.sum(), compactor.lastStoredNanos);
    }

    /* --- The replica's thread --- */

    private void run() {
        long failures = 0;
        while (!closed) {
            try {
                boolean ran = runRequests();
                SignalEffects.release(); // what the requests changed reaches the pages before an append waits
                boolean busy = flush() || ran || !requests.isEmpty();
                SignalEffects.release(); // and what expired appends took back, before the read waits
                pump(busy ? Duration.ZERO : READ_WAIT);
                SignalEffects.release();
                housekeeping();
                failures = 0;
            } catch (InterruptedException e) {
                SignalEffects.release(); // closing: what was applied still goes (and the hub's count ends)
                return;
            } catch (Exception e) {
                SignalEffects.release(); // what was applied before the failure
                if (closed) {
                    return;
                }
                writer.unreachable();
                if (++failures == 1) {
                    LOG.warn("Shared signals: the engine failed ({}); retrying", e.toString());
                }
                try {
                    Thread.sleep(Backoff.RECONNECT.pause(failures).toMillis());
                } catch (InterruptedException stop) {
                    return;
                }
            }
        }
    }

    /** A deterministic engine's step: runs what was handed over, appends, reads and applies; did anything? */
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
        requests.addAll(trees.dueRetries());
        for (int left = requests.size(); left > 0; left--) { // what came meanwhile waits for the next round
            Runnable request = requests.poll();
            if (request == null) {
                break;
            }
            if (request instanceof SignalTrees.Load load) {
                any |= load(load); // a name that keeps failing to load is no progress
            } else {
                any = true;
                request.run();
            }
        }
        return any;
    }

    private boolean load(SignalTrees.Load request) throws InterruptedException, ExecutionException, TimeoutException {
        SignalTrees.Ref ref = request.ref();
        ClusterSignalTree tree = ref.get();
        if (tree == null || ref.loaded.isDone()) {
            return true;
        }
        try {
            if (epoch == null) {
                pump(Duration.ZERO);
            }
            String at = epoch;
            if (at == null) { // the epoch is not known yet: again at the next round
                requests.add(request);
                return false;
            }
            loader.load(tree, at, position);
        } catch (SignalLoader.EpochChanged e) { // loaded again at the new epoch, once this node has read it
            requests.add(request);
            return false;
        } catch (IllegalStateException e) { // this name only: the others go on
            if (ref.loadFailures++ == 0) {
                LOG.error("Shared signal '{}' cannot be loaded ({}); trying again", ref.name, e.getMessage());
            }
            trees.retryLater(request);
            return false;
        } catch (InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
            requests.add(request); // again, after the engine is back
            throw e;
        }
        ref.snapshotAt = tree.position;
        ref.loaded.complete(null);
        return true;
    }

    /** Appends what waits, unless the epoch is unknown or a new log is re-read (re-seeds go first); did anything? */
    private boolean flush() {
        if (epoch == null || reseeds.rereading()) {
            return false;
        }
        boolean queued = writer.hasQueued();
        int expired = writer.flush(log, epoch, settings.callTimeout());
        return (queued && !writer.hasQueued()) || expired > 0;
    }

    private boolean pump(Duration wait) throws InterruptedException, ExecutionException, TimeoutException {
        SignalRead read = reads.next(position, wait);
        if (read == null) {
            return false; // woken: a write or a request waits
        }
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
        if (reseeds.rereading() && position >= read.head()) {
            reseeds.finish(trees);
            return true;
        }
        return !read.entries().isEmpty();
    }

    private void apply(SignalEntry entry) {
        SignalWriter.Pending mine = entry.originNode().equals(origin) ? writer.appended(entry.sequence()) : null;
        try {
            applyLoaded(entry, mine);
        } finally {
            if (mine != null) {
                writer.readBack(entry.sequence());
            }
        }
    }

    private void applyLoaded(SignalEntry entry, SignalWriter.@Nullable Pending mine) {
        ClusterSignalTree tree = trees.loaded(entry.name());
        if (tree == null) {
            return;
        }
        SignalEntries.Outcome outcome = entries.apply(tree, entry);
        reseeds.applied(tree, entry, outcome);
        if (outcome == SignalEntries.Outcome.APPLIED) {
            meters.applied.increment();
            if (mine != null && mine.tree() == tree) {
                meters.confirmed(System.nanoTime() - mine.offeredNanos());
            }
        } else if (outcome == SignalEntries.Outcome.REPLACED) {
            writer.endCovered(tree);
        } else if (mine != null && mine.tree() == tree && !mine.commands().isEmpty()) {
            tree.refuse(mine.commands(), "refused: the write came back from the engine but no node applied it");
        }
    }

    /** Fell behind the watermark: every tree held starts again from its newest snapshot. */
    private void resync(long upTo) throws InterruptedException, ExecutionException, TimeoutException {
        meters.resyncs.increment();
        LOG.info("Shared signals: this node is behind the log's trim watermark ({} < {}); loading snapshots",
                position, upTo);
        loader.resyncAll(trees, Objects.requireNonNull(epoch), tree -> {
            reseeds.resynced(tree);
            writer.endCovered(tree);
        });
        position = Math.max(position, upTo);
    }

    /**
     * The engine lost its data (a new epoch): writes appended and not read back end unknown (a node that had read
     * them re-seeds them), and {@link SignalReseeds} writes this node's states to the new log once it has read it.
     */
    private void reset(String newEpoch) {
        meters.resets.increment();
        LOG.warn("Shared signals: the engine lost its data (epoch {} -> {}); writing this node's state again", epoch,
                newEpoch);
        reseeds.start(Objects.requireNonNull(epoch), position, newEpoch, trees);
        epoch = newEpoch;
        position = 0;
        trimmed = 0;
    }

    private void housekeeping() throws InterruptedException, ExecutionException, TimeoutException {
        trees.inUse(); // lets go the trees no signal uses
        if (epoch != null && !reseeds.rereading()) {
            compactor.housekeeping(trees, epoch, position, head, trimmed, settings);
        }
    }

    /** Snapshots the trees that changed and compacts the log, on the replica's thread: the housekeeping, now. */
    CompletableFuture<Void> snapshotNow() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        requests.add(() -> {
            try {
                if (epoch != null && !reseeds.rereading()) {
                    compactor.now(trees, epoch, position, trimmed, head, settings.retainEntries());
                }
                done.complete(null);
            } catch (Exception e) {
                done.completeExceptionally(e);
            }
        });
        reads.wake();
        return done;
    }

    long position() { return position; } // the position applied up to: replica thread, or a test between steps

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
        writer.endAll();
    }
}
