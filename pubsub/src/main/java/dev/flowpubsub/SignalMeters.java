package dev.flowpubsub;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node's shared-signal counters: writes taken, confirmed (and how long that took), entries applied, refusals by
 * reason, re-synchronizations and resets. {@link SignalStats} is their snapshot.
 *
 * <p>Thread-safe: adders, counted from writers' threads and the replica's, read from any.
 */
final class SignalMeters {

    /** Why a write was refused, or ended with an outcome not known; the keys of {@link SignalStats#refused()}. */
    enum Reason {
        AUTHORIZATION, BUDGET, SIZE, OUTBOX, UNREACHABLE, CLOSED, TIMEOUT, UNAPPLIED, UNKNOWN;

        String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The reason a refusal's text gives (as {@link ClusterSignalTree#refuse} is given it). */
        static Reason of(String why) {
            if (why.startsWith("unknown:")) {
                return UNKNOWN;
            }
            String rest = why.startsWith("refused: ") ? why.substring("refused: ".length()) : why;
            if (rest.startsWith("authorization")) {
                return AUTHORIZATION;
            } else if (rest.startsWith("send budget")) {
                return BUDGET;
            } else if (rest.startsWith("size")) {
                return SIZE;
            } else if (rest.startsWith("too many")) {
                return OUTBOX;
            } else if (rest.startsWith("the engine is unreachable")) {
                return UNREACHABLE;
            } else if (rest.startsWith("the hub")) {
                return CLOSED;
            } else if (rest.startsWith("the engine did not take")) {
                return TIMEOUT;
            }
            return UNAPPLIED;
        }
    }

    final LongAdder submitted = new LongAdder();
    final LongAdder confirmed = new LongAdder();
    final LongAdder confirmNanos = new LongAdder();
    final LongAdder applied = new LongAdder();
    final LongAdder resyncs = new LongAdder();
    final LongAdder resets = new LongAdder();
    private final Map<Reason, LongAdder> refused = new EnumMap<>(Reason.class);

    SignalMeters() {
        for (Reason reason : Reason.values()) {
            refused.put(reason, new LongAdder());
        }
    }

    private long count(Reason reason) {
        return Objects.requireNonNull(refused.get(reason)).sum();
    }

    /** A write of this node ended without being applied, or with an outcome not known, for {@code why}. */
    void refused(String why) {
        Objects.requireNonNull(refused.get(Reason.of(why))).increment();
    }

    /** A write of this node came back applied, {@code nanos} after it was taken. */
    void confirmed(long nanos) {
        confirmed.increment();
        confirmNanos.add(Math.max(0, nanos));
    }

    /** The counters as {@link SignalStats}, with what the replica knows; {@code lastStoredNanos} 0 for none. */
    SignalStats stats(int namesInUse, long position, long head, long rejected, long lastStoredNanos) {
        long age = lastStoredNanos == 0 ? -1 : (System.nanoTime() - lastStoredNanos) / 1_000_000;
        return new SignalStats(namesInUse, position, head, submitted.sum(), confirmed.sum(), confirmNanos.sum(),
                applied.sum(), refusedByReason(), rejected, resyncs.sum(), resets.sum(), age);
    }

    /** How many writes ended refused (every reason but {@link Reason#UNKNOWN}). */
    long refusedTotal() {
        return Arrays.stream(Reason.values()).filter(reason -> reason != Reason.UNKNOWN).mapToLong(this::count).sum();
    }

    /** The refusals by {@link Reason#key()}, every reason present. */
    Map<String, Long> refusedByReason() {
        Map<String, Long> byReason = new TreeMap<>();
        for (Reason reason : Reason.values()) {
            byReason.put(reason.key(), count(reason));
        }
        return byReason;
    }
}
