package dev.flowpubsub;

import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps the log short without losing state: before it trims the log up to a position, it writes, for every name that
 * has entries up to there, a snapshot at that position, built from the name's stored snapshot and its entries on a
 * scratch tree. So the trimmer never trims past a name's newest snapshot, and a node that loads a name or falls
 * behind the watermark finds every entry it needs either in a snapshot or in the log. Any node may compact at any
 * time: snapshots are kept only when newer, and trimming only raises the watermark.
 *
 * <p>Threading: the replica's thread; it blocks on the log for up to the call timeout per call.
 */
final class SignalCompactor {

    private static final Logger LOG = Logs.CLUSTER;
    private static final int PAGE = 1_000;

    private final SignalLog log;
    private final SignalCodec codec;
    private final Duration callTimeout;

    SignalCompactor(SignalLog log, SignalCodec codec, Duration callTimeout) {
        this.log = log;
        this.codec = codec;
        this.callTimeout = callTimeout;
    }

    /** Snapshots every name with entries in ({@code trimmed}, {@code upTo}] at {@code upTo}, then trims up to it. */
    void compact(long trimmed, long upTo) throws TimeoutException, ExecutionException, InterruptedException {
        Map<String, List<SignalEntry>> byName = new LinkedHashMap<>();
        long after = trimmed;
        while (after < upTo) {
            SignalRead read = call(log.read(after, null, PAGE, Duration.ZERO).toCompletableFuture());
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
            snapshot(name.getKey(), name.getValue(), upTo);
        }
        call(log.trim(upTo).toCompletableFuture());
    }

    private void snapshot(String name, List<SignalEntry> entries, long upTo)
            throws TimeoutException, ExecutionException, InterruptedException {
        Optional<SignalSnapshot> stored = call(log.snapshot(name).toCompletableFuture());
        if (stored.isPresent() && stored.get().position() >= upTo) {
            return;
        }
        ClusterSignalTree scratch = new ClusterSignalTree(name, (tree, commands) -> {
            throw new IllegalStateException("a scratch tree takes no writes");
        });
        if (stored.isPresent()) {
            scratch.replaceWith(stored.get().position(), codec.decode(stored.get()));
        }
        for (SignalEntry entry : entries) {
            if (entry.position() > scratch.position && !scratch.isRepeat(entry.originNode(), entry.sequence())) {
                try {
                    SignalReplica.applyTo(scratch, entry, codec.decode(entry));
                } catch (IllegalArgumentException refused) {
                    LOG.warn("Signal entry {} not applied while compacting: {}", entry, refused.getMessage());
                }
            }
        }
        call(log.putSnapshot(snapshotOf(scratch, upTo, codec)).toCompletableFuture());
    }

    /** The tree's confirmed state as a snapshot at {@code position}. */
    static SignalSnapshot snapshotOf(ClusterSignalTree tree, long position, SignalCodec codec) {
        return new SignalSnapshot(tree.name(), position, SignalCodec.FORMAT, SignalCodec.writer(),
                codec.state(tree.state(tree.seed)));
    }

    private <T> T call(java.util.concurrent.CompletableFuture<T> future)
            throws TimeoutException, ExecutionException, InterruptedException {
        return future.get(callTimeout.toNanos(), TimeUnit.NANOSECONDS);
    }
}
