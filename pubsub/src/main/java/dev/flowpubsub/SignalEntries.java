package dev.flowpubsub;

import dev.flowpubsub.spi.SignalEntry;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * How one log entry is applied to a tree, the same way wherever it is applied (the replica reading the log, a load
 * catching a name up, the compactor building a snapshot), so every node ends with the same state: decoded with its
 * limits, a re-seed taken only when it beats the tree's seed and was made on the tree's state as it is (else its node
 * makes it again on top), a write skipped when it repeats one applied before. An entry that cannot be decoded is
 * refused, counted and logged (the first ones only: a hostile writer must not flood the log), never applied.
 *
 * <p>Threading: the replica's thread (the counters may be read from any).
 */
final class SignalEntries {

    private static final Logger LOG = Logs.CLUSTER;
    private static final int LOGGED_REJECTIONS = 20;

    /** What applying an entry did. */
    enum Outcome {
        /** A write, confirmed on the tree. */
        APPLIED,
        /** A re-seed that replaced the tree's state. */
        REPLACED,
        /** A re-seed that beats the tree's seed, made on a state the tree has changed from since: its node makes it again. */
        STALE,
        /** A re-seed that does not beat the tree's seed. */
        BEATEN,
        /** A repeat, or an entry refused. */
        SKIPPED
    }

    private final SignalCodec codec;
    private final int maxEntryBytes;
    private final long holdNanos;
    final LongAdder rejected = new LongAdder();

    /** With {@code hold}, how long this node holds its writes to a tree once a better re-seed came stale. */
    SignalEntries(SignalCodec codec, int maxEntryBytes, Duration hold) {
        this.codec = codec;
        this.maxEntryBytes = maxEntryBytes;
        this.holdNanos = hold.toNanos();
    }

    Outcome apply(ClusterSignalTree tree, SignalEntry entry) {
        SignalCodec.Payload payload;
        try {
            payload = decode(entry);
        } catch (IllegalArgumentException e) {
            reject(entry, e);
            return Outcome.SKIPPED;
        }
        SignalCodec.State reseed = payload.reseed();
        if (reseed != null) {
            SignalCodec.Seed seed = reseed.seed();
            if (seed == null) {
                return Outcome.SKIPPED;
            }
            if (!seed.beats(tree.seed)) {
                return Outcome.BEATEN;
            }
            if (reseed.changedAt() != tree.changedAt) {
                tree.holdWrites(holdNanos); // every node, until it is made again and lands: it is not starved
                return Outcome.STALE;
            }
            tree.reseed(entry.position(), reseed); // the node that had read most wins, on every node alike
            return Outcome.REPLACED;
        }
        if (tree.isRepeat(entry.originNode(), entry.sequence())) {
            return Outcome.SKIPPED;
        }
        tree.apply(entry.position(), entry.originNode(), entry.sequence(), Objects.requireNonNull(payload.commands()));
        return Outcome.APPLIED;
    }

    /**
     * An entry's payload, refused unread when it is larger than a whole state may be, and refused after decoding when
     * it is a write larger than a node would take (a re-seed carries a whole state).
     */
    private SignalCodec.Payload decode(SignalEntry entry) {
        int size = entry.payload().length;
        if (size > SignalCodec.MAX_STATE_BYTES) {
            throw new IllegalArgumentException(size + " bytes, more than a state's limit of "
                    + SignalCodec.MAX_STATE_BYTES);
        }
        SignalCodec.Payload payload = codec.decode(entry);
        if (payload.reseed() == null && size > maxEntryBytes) {
            throw new IllegalArgumentException("a write of " + size + " bytes, more than the limit of "
                    + maxEntryBytes);
        }
        return payload;
    }

    private void reject(SignalEntry entry, IllegalArgumentException why) {
        rejected.increment();
        long count = rejected.sum();
        if (count <= LOGGED_REJECTIONS) {
            LOG.error("Shared signal entry {} refused, not applied{}: {}", entry,
                    count == LOGGED_REJECTIONS ? " (the last one logged; the others are counted)" : "",
                    why.getMessage());
        }
    }
}
