package dev.flowpubsub.testing;

import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;
import dev.flowpubsub.spi.TransportHealth;
import dev.flowpubsub.spi.support.Arguments;
import dev.flowpubsub.spi.support.Epochs;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * An engine in memory that keeps the promises of the real ones (one order, positions, snapshots, a trim watermark,
 * epochs), with faults on demand: a node partitioned from it and healed, a node whose reader is delayed, a node
 * whose appends land unanswered, the engine lost and back intact or empty. Each node talks to it through its own {@link #signalLog(String) view}, named as the
 * node is, so faults can be aimed at one node; a node restarted with the same name gets a new view with the same
 * faults.
 *
 * <p><b>Stepped</b> ({@link #stepped(long)}): the nodes run no reader threads. {@link #deliverPending()} runs every
 * node's step (append what it wrote, read and apply what is there) until nothing is left, on the caller's thread, so a
 * test decides exactly what happens when. Anything random in a test should come from {@link #random()}; the seed is in
 * {@link #toString()}, to print when a test fails.
 *
 * <p>Thread-safe: one lock guards the engine's state.
 */
public final class InMemoryEngine {

    private final long seed;
    private final Random random;
    private final boolean stepped;
    private final Guard guard = new Guard();
    private final ReentrantLock lock = guard.lock;
    private final Condition changed = guard.changed;
    private final List<SignalEntry> entries = new ArrayList<>();
    private final Map<String, SignalSnapshot> snapshots = new HashMap<>();
    private final Set<String> partitioned = new HashSet<>();
    private final Set<String> delayed = new HashSet<>();
    private final Set<String> unanswered = new HashSet<>();
    private final List<BooleanSupplier> steps = new CopyOnWriteArrayList<>();
    /** Run after the nodes' steps in each round: a stepped bus's messages (see {@link #addLastStep}). */
    private final List<BooleanSupplier> lastSteps = new CopyOnWriteArrayList<>();
    private long epochs;
    private String epoch;
    private long trimmed;
    private boolean lost;

    private InMemoryEngine(long seed, boolean stepped) {
        this.seed = seed;
        this.random = new Random(seed);
        this.stepped = stepped;
        this.epoch = newEpoch();
    }

    /** An engine whose nodes read on threads of their own, as with a real engine. */
    public static InMemoryEngine threaded() {
        return new InMemoryEngine(ThreadLocalRandom.current().nextLong(), false);
    }

    /** An engine whose nodes read only when {@link #deliverPending()} steps them, with a seed for {@link #random()}. */
    public static InMemoryEngine stepped(long seed) {
        return new InMemoryEngine(seed, true);
    }

    /** The seed of {@link #random()}. */
    public long seed() {
        return seed;
    }

    /** A source of random choices for a test, from {@link #seed()}: the same seed, the same choices. */
    public Random random() {
        return random;
    }

    /** The log as node {@code node} sees it: what its hub's transport returns from {@code signalLog()}. */
    public SignalLog signalLog(String node) {
        return new NodeLog(Arguments.nonBlank(node, "node"));
    }

    /**
     * Steps every node until none has anything left to do: appends what they wrote, reads and applies what is
     * there, in node order, round after round. Only for a {@linkplain #stepped stepped} engine.
     *
     * @return whether anything was done
     */
    public boolean deliverPending() {
        if (!stepped) {
            throw new IllegalStateException("only a stepped engine is stepped by its caller");
        }
        boolean any = false;
        for (int round = 0; round < 100_000; round++) {
            boolean progress = false;
            for (BooleanSupplier step : steps) {
                progress |= step.getAsBoolean();
            }
            for (BooleanSupplier step : lastSteps) {
                progress |= step.getAsBoolean();
            }
            if (!progress) {
                return any;
            }
            any = true;
        }
        throw new IllegalStateException("the nodes did not settle within 100000 rounds: " + this);
    }

    /** Whether nodes read only when {@link #deliverPending()} steps them. */
    public boolean isStepped() {
        return stepped;
    }

    /**
     * Adds a step {@link #deliverPending()} runs after the nodes' own in each round: a stepped bus's messages, so that a
     * node reads what a dead node wrote to its signals before it hears, with its messages, that the node is gone (and
     * clears the dead node's owned entries it has then read).
     */
    void addLastStep(BooleanSupplier step) {
        lastSteps.add(step);
    }

    /** Cuts node {@code node} off from the engine: its calls fail until {@link #heal}. */
    public void partition(String node) {
        guard.update(() -> partitioned.add(node));
    }

    /** Connects node {@code node} again. */
    public void heal(String node) {
        guard.update(() -> partitioned.remove(node));
    }

    /** Node {@code node}'s reads find nothing new until {@link #releaseReader}: a slow reader. Its writes go. */
    public void delayReader(String node) {
        guard.update(() -> delayed.add(node));
    }

    /** Node {@code node} reads again. */
    public void releaseReader(String node) {
        guard.update(() -> delayed.remove(node));
    }

    /**
     * Node {@code node}'s appends land in the log, but their answers are lost: each call fails after it took its
     * entries, as when the network fails between a write and its acknowledgement, or the engine answers after the
     * caller gave up. Until {@link #answerAppends}.
     */
    public void loseAppendAnswers(String node) {
        guard.update(() -> unanswered.add(node));
    }

    /** Node {@code node}'s appends are answered again. */
    public void answerAppends(String node) {
        guard.update(() -> unanswered.remove(node));
    }

    /** The engine is lost: every call of every node fails until {@link #back}. */
    public void lose() {
        guard.update(() -> lost = true);
    }

    /**
     * The engine is back: {@code intact} with everything it had (a restart with persistence, a network back), or
     * empty, with a new epoch (a Redis without persistence restarted).
     */
    public void back(boolean intact) {
        guard.update(() -> {
            lost = false;
            if (!intact) {
                entries.clear();
                snapshots.clear();
                trimmed = 0;
                epoch = newEpoch();
            }
        });
    }

    /** The position of the newest entry. */
    public long head() {
        return guard.locked(this::headLocked);
    }

    /** The trim watermark. */
    public long trimmed() {
        return guard.locked(() -> trimmed);
    }

    @Override
    public String toString() {
        return "InMemoryEngine[seed=" + seed + (stepped ? ", stepped" : "") + ", head=" + head() + ", trimmed="
                + trimmed() + "]";
    }

    /** A new epoch, later than the last: numbered, so a stepped engine stays deterministic. */
    private String newEpoch() {
        return Epochs.of(++epochs, Long.toString(random.nextLong() & Long.MAX_VALUE, 36));
    }

    private long headLocked() {
        return trimmed + entries.size();
    }

    /** One node's view of the engine: fails while the node is partitioned or the engine lost. */
    private final class NodeLog implements SignalLog {

        private final String node;
        private final List<BooleanSupplier> registered = new ArrayList<>();
        private volatile boolean closed;
        /** The epoch this node last read: its snapshots are for it only, as on Redis and PostgreSQL. */
        private volatile @Nullable String readEpoch;

        NodeLog(String node) {
            this.node = node;
        }

        private @Nullable IllegalStateException unreachable() {
            if (closed) {
                return new IllegalStateException("the signal log of node " + node + " is closed");
            }
            if (lost) {
                return new IllegalStateException("the in-memory engine is lost");
            }
            return partitioned.contains(node) ? new IllegalStateException("node " + node + " is partitioned") : null;
        }

        private <T> CompletionStage<T> call(java.util.function.Supplier<T> action) {
            lock.lock();
            try {
                IllegalStateException failure = unreachable();
                return failure != null ? CompletableFuture.failedFuture(failure)
                        : CompletableFuture.completedFuture(action.get());
            } catch (IllegalStateException refused) {
                return CompletableFuture.failedFuture(refused);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public CompletionStage<Long> append(String expected, List<SignalEntry> batch) {
            return call(() -> {
                if (!epoch.equals(expected)) {
                    throw new IllegalStateException("the log is at epoch " + epoch + ", not " + expected);
                }
                for (SignalEntry entry : batch) {
                    entries.add(entry.at(headLocked() + 1));
                }
                changed.signalAll();
                if (unanswered.contains(node)) {
                    throw new IllegalStateException("the answer to node " + node + "'s append was lost");
                }
                return headLocked();
            });
        }

        @Override
        public CompletionStage<SignalRead> read(long after, @Nullable String name, int limit, Duration wait) {
            if (stepped || wait.isZero()) {
                return readNow(after, name, limit, Duration.ZERO);
            }
            // as a network engine does: the wait does not hold the caller, which may append meanwhile
            return CompletableFuture.supplyAsync(() -> readNow(after, name, limit, wait), Thread::startVirtualThread)
                    .thenCompose(read -> read);
        }

        private CompletionStage<SignalRead> readNow(long after, @Nullable String name, int limit, Duration wait) {
            lock.lock();
            try {
                long left = wait.toNanos();
                while (left > 0 && unreachable() == null && visibleHead() <= after) {
                    left = changed.awaitNanos(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return CompletableFuture.failedFuture(e);
            } finally {
                lock.unlock();
            }
            return call(() -> {
                List<SignalEntry> found = new ArrayList<>();
                long start = Math.max(after, trimmed);
                for (long at = start + 1; at <= visibleHead() && found.size() < limit; at++) {
                    SignalEntry entry = entries.get((int) (at - trimmed - 1));
                    if (name == null || name.equals(entry.name())) {
                        found.add(entry);
                    }
                }
                readEpoch = epoch;
                return new SignalRead(epoch, visibleHead(), trimmed, found); // a delayed reader knows no newer head
            });
        }

        /** What this node may read up to: nothing new while its reader is delayed. */
        private long visibleHead() {
            return delayed.contains(node) ? Math.min(headLocked(), trimmed) : headLocked();
        }

        @Override
        public CompletionStage<Optional<SignalSnapshot>> snapshot(String name) {
            return call(() -> Optional.ofNullable(snapshots.get(name)));
        }

        @Override
        public CompletionStage<Boolean> putSnapshot(SignalSnapshot snapshot) {
            return call(() -> {
                SignalSnapshot stored = snapshots.get(snapshot.name());
                String known = readEpoch;
                if ((known != null && !known.equals(epoch))
                        || (stored != null && stored.position() >= snapshot.position())) {
                    return false;
                }
                snapshots.put(snapshot.name(), snapshot);
                return true;
            });
        }

        @Override
        public CompletionStage<Void> trim(long position) {
            return call(() -> {
                long upTo = Math.min(position, headLocked());
                if (upTo > trimmed) {
                    entries.subList(0, (int) (upTo - trimmed)).clear();
                    trimmed = upTo;
                }
                return null;
            });
        }

        @Override
        public TransportHealth health() {
            IllegalStateException failure = guard.locked(this::unreachable);
            Map<String, Object> details = Map.of("engine", "in-memory", "seed", seed);
            return failure == null ? TransportHealth.up(details) : TransportHealth.down(details);
        }

        @Override
        public boolean readerThread() {
            return !stepped;
        }

        @Override
        public void onStep(BooleanSupplier step) {
            registered.add(step);
            steps.add(step);
        }

        @Override
        public void close() {
            closed = true;
            steps.removeAll(registered);
            guard.update(() -> { });
        }
    }
}
