package dev.flowpubsub;

import com.vaadin.flow.signals.SignalCommand;
import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This node's signal writes on their way to the log: numbered in the order written, bounded, appended in that
 * order, and remembered until they come back through the log. The engine-down policy lives here: while the last
 * append failed, a new write is refused at once; one taken before waits for the engine up to the write timeout and
 * is refused after it. A refused write never reaches the log, so no node applies it. A write that went out in an
 * append the engine did not answer may have reached it all the same (a frozen engine that resumes, an answer lost on
 * the way): past the write timeout it ends as unknown, not refused, and is applied on every node if it landed.
 *
 * <p>Threading: {@link #offer} from writers' threads (under their tree's lock); the rest on the replica's thread. One
 * lock guards the queue; it is never held while the log is called.
 */
final class SignalWriter {

    /** A write: its tree, its commands (to refuse them), its entry, when it was taken and when it expires. */
    record Pending(ClusterSignalTree tree, List<SignalCommand> commands, SignalEntry entry, long offeredNanos,
                   long deadlineNanos) {
    }

    /** The most entries one append carries. */
    static final int MAX_BATCH = 200;
    /** About the most bytes one append carries (one entry more than this is sent alone). */
    static final int MAX_BATCH_BYTES = 1024 * 1024;

    private final String origin;
    private final SignalSettings settings;
    private final SignalCodec codec;
    private final int maxPending;
    private final long timeoutNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long sequence;
    /** Whether the last append failed: new writes are refused until one succeeds. */
    private volatile boolean down;
    /** Appended and not read back yet, by sequence. Changed on the replica thread; {@link #settled} reads its size. */
    private final Map<Long, Pending> appended = new ConcurrentHashMap<>();
    /** The sequences of queued writes that went out in an append that failed: they may have landed. Replica thread. */
    private final Set<Long> unanswered = new HashSet<>();

    SignalWriter(String origin, SignalSettings settings, SignalCodec codec) {
        this.origin = origin;
        this.settings = settings;
        this.codec = codec;
        this.maxPending = settings.maxPending();
        this.timeoutNanos = settings.writeTimeout().toNanos();
    }

    /**
     * Encodes a write and queues it, or says why not: the tree would grow past its limit, the write is too large, the
     * engine is down, or too many writes wait. On the writer's thread, under the tree's lock.
     *
     * @return {@code null} when queued, else the reason it is refused
     */
    @Nullable String offer(ClusterSignalTree tree, List<SignalCommand> commands) {
        if (tree.submitted().nodes().size() > settings.maxNodes()) { // this write included, and the two fixed nodes
            return "size: signal '" + tree.name() + "' would hold more than " + settings.maxNodes() + " nodes";
        }
        byte[] payload = codec.commands(commands);
        if (payload.length > settings.maxEntryBytes()) {
            return "size: the write is " + payload.length + " bytes encoded, more than the limit of "
                    + settings.maxEntryBytes() + " bytes";
        }
        try { // what no node could read back would stay pending on this one for ever
            codec.decode(new SignalEntry(0, tree.name(), origin, 1, SignalCodec.FORMAT, SignalCodec.writer(), payload));
        } catch (IllegalArgumentException e) {
            return "size: the nodes could not read this write back (" + e.getMessage() + ")";
        }
        if (tree.stateBytes + payload.length > SignalCodec.MAX_STATE_BYTES) {
            return "size: signal '" + tree.name() + "' holds about " + tree.stateBytes + " bytes, and a state may "
                    + "hold " + SignalCodec.MAX_STATE_BYTES;
        }
        return offer(tree, commands, payload);
    }

    /**
     * Queues a write, or says why not: the engine is down, or too many writes wait.
     *
     * @return {@code null} when queued, else the reason it is refused
     */
    private @Nullable String offer(ClusterSignalTree tree, List<SignalCommand> commands, byte[] payload) {
        lock.lock();
        try {
            if (down) {
                return "the engine is unreachable: signal writes are refused until it is back";
            }
            if (queue.size() >= maxPending) {
                return "too many signal writes wait for the engine (" + maxPending + ")";
            }
            SignalEntry entry = new SignalEntry(0, tree.name(), origin, ++sequence, SignalCodec.FORMAT,
                    SignalCodec.writer(), payload);
            long now = System.nanoTime();
            queue.addLast(new Pending(tree, List.copyOf(commands), entry, now, now + timeoutNanos));
            return null;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Appends what waits, in order, in one call of at most {@value #MAX_BATCH} entries or about
     * {@value #MAX_BATCH_BYTES} bytes, at {@code epoch}, but for writes to trees whose writes are held (they keep
     * their order among themselves). On failure the writes stay queued (a retried append that had
     * landed is a repeat the readers skip), and those past their deadline are taken out and returned to end: refused
     * if no append carried them, unknown if one did.
     *
     * @return how many writes were refused for their deadline
     */
    int flush(SignalLog log, String epoch, Duration callTimeout) {
        List<Pending> batch = new ArrayList<>();
        lock.lock();
        try {
            long bytes = 0;
            for (Pending pending : queue) {
                if (!pending.commands().isEmpty() && pending.tree().writesHeld()) {
                    continue; // a better re-seed of the tree is on its way; the order per name is kept
                }
                bytes += pending.entry().payload().length;
                if (!batch.isEmpty() && (batch.size() == MAX_BATCH || bytes > MAX_BATCH_BYTES)) {
                    break;
                }
                batch.add(pending);
            }
        } finally {
            lock.unlock();
        }
        if (batch.isEmpty()) {
            return 0;
        }
        try {
            log.append(epoch, batch.stream().map(Pending::entry).toList()).toCompletableFuture()
                    .get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) { // the hub closes: the append may land all the same
            batch.forEach(pending -> unanswered.add(pending.entry().sequence()));
            Thread.currentThread().interrupt();
            return 0;
        } catch (Exception e) {
            down = true;
            batch.forEach(pending -> unanswered.add(pending.entry().sequence()));
            return refuseExpired();
        }
        down = false;
        lock.lock();
        try {
            for (Pending pending : batch) {
                queue.remove(pending);
                unanswered.remove(pending.entry().sequence());
                appended.put(pending.entry().sequence(), pending);
            }
        } finally {
            lock.unlock();
        }
        return 0;
    }

    /** Takes the writes past their deadline out of the queue and ends them (refused, or unknown); returns how many. */
    private int refuseExpired() {
        long now = System.nanoTime();
        List<Pending> expired = new ArrayList<>();
        lock.lock();
        try {
            queue.removeIf(pending -> now - pending.deadlineNanos() >= 0 && expired.add(pending));
        } finally {
            lock.unlock();
        }
        for (Pending pending : expired) {
            pending.tree().refuse(pending.commands(), unanswered.remove(pending.entry().sequence())
                    ? "unknown: an append of the write went unanswered and the engine did not take it within "
                            + settings.writeTimeout() + " (unreachable); if that append landed, it is applied on every node"
                    : "refused: the engine did not take the write within " + settings.writeTimeout() + " (unreachable)");
        }
        return expired.size();
    }

    /**
     * Queues a re-seed ahead of every write waiting, so that in a new log the state comes before the writes made on
     * it. It never expires: the state must reach the new log.
     */
    void offerFirst(ClusterSignalTree tree, byte[] payload) {
        lock.lock();
        try {
            SignalEntry entry = new SignalEntry(0, tree.name(), origin, ++sequence, SignalCodec.FORMAT,
                    SignalCodec.writer(), payload);
            long now = System.nanoTime();
            queue.addFirst(new Pending(tree, List.of(), entry, now, now + Long.MAX_VALUE / 2));
        } finally {
            lock.unlock();
        }
    }

    /** Drops the re-seeds still queued: the log they were made for is lost. Replica thread. */
    void dropReseeds() {
        lock.lock();
        try {
            queue.removeIf(pending -> pending.commands().isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /** Whether a write waits to be appended. */
    boolean hasQueued() {
        lock.lock();
        try {
            return !queue.isEmpty();
        } finally {
            lock.unlock();
        }
    }

    /** One of this node's entries came back through the log: its write, if it is still waiting for that. */
    @Nullable Pending appended(long sequence) {
        return appended.get(sequence);
    }

    /**
     * The write of {@code sequence} is confirmed and its effects are handed to its pages: it waits no more. Replica
     * thread, after applying it, so that {@link #settled} never says so before those effects are on their way.
     */
    void readBack(long sequence) {
        appended.remove(sequence);
    }

    /**
     * Whether every write of this node has ended (confirmed, refused or unknown), or the engine does not answer (they
     * wait for it, or for their deadline). Any thread: a queued write moves to {@code appended} under the lock.
     */
    boolean settled() {
        lock.lock();
        try {
            return down || (queue.isEmpty() && appended.isEmpty());
        } finally {
            lock.unlock();
        }
    }

    /**
     * The hub closes: every write not confirmed yet ends. One the engine took, or whose append went unanswered, may be
     * in the log, applied on every node: it ends unknown; the others never reach the log and are refused. After the
     * replica's thread stopped.
     */
    void endAll() {
        List<Pending> sent = new ArrayList<>(appended.values());
        appended.clear();
        List<Pending> queued;
        lock.lock();
        try {
            queued = List.copyOf(queue);
            queue.clear();
        } finally {
            lock.unlock();
        }
        List<Pending> unsent = new ArrayList<>();
        for (Pending pending : queued) {
            (unanswered.remove(pending.entry().sequence()) ? sent : unsent).add(pending);
        }
        sent.forEach(pending -> pending.tree().refuse(pending.commands(), "unknown: the hub closed before the write "
                + "came back from the engine; if the engine took it, it is applied on every node"));
        unsent.forEach(pending -> pending.tree().refuse(pending.commands(),
                "refused: the hub closed before the write was sent to the engine"));
    }

    /**
     * After a tree's state was replaced (a snapshot, a re-seed): this node's writes appended and not read back that the
     * new state already holds (its last sequence of this node is at or past theirs) will not come back to this node;
     * they end, with a reason saying they were applied. Replica thread.
     */
    void endCovered(ClusterSignalTree tree) {
        long upTo = tree.origins.getOrDefault(origin, 0L);
        List<Pending> covered = new ArrayList<>();
        appended.values().removeIf(pending -> pending.tree() == tree && pending.entry().sequence() <= upTo
                && covered.add(pending));
        for (Pending pending : covered) {
            tree.refuse(pending.commands(), "unknown: the write was applied on every node, but this node took a "
                    + "state that holds it before it read the write back, so its result is not known");
        }
    }

    /** Refuses what was appended and not read back (the engine lost it); returns how many. Replica thread. */
    int refuseAppended(String reason) {
        List<Pending> lost = List.copyOf(appended.values());
        appended.clear();
        lost.forEach(pending -> pending.tree().refuse(pending.commands(), reason));
        return lost.size();
    }

    /** The engine answered a call (a read): writes are taken again. */
    void reachable() {
        down = false;
    }

    /** A call to the engine failed: new writes are refused until it answers again. */
    void unreachable() {
        down = true;
    }

}
