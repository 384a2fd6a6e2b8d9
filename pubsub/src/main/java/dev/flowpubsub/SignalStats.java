package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;

import java.util.List;
import java.util.Map;

/**
 * A snapshot of this node's shared signals, from {@link ClusterSignals#stats()} or {@link PubSubHub#signalStats()}.
 * Counters only grow for the lifetime of the hub; the rest is read at the moment of the call.
 *
 * @param namesInUse        names this node holds a tree for (a name no signal uses any more is let go)
 * @param position          the log position this node has applied up to
 * @param head              the log's head when this node last read it ({@code head - position}: how far behind)
 * @param submitted         writes of this node taken at the call
 * @param confirmed         writes of this node that came back applied
 * @param confirmNanos      the time those took, in all, from the call to the confirm ({@code confirmNanos /
 *                          confirmed}: the mean confirm latency)
 * @param applied           log entries applied, every node's writes
 * @param refused           writes of this node that ended without being applied, by reason: "authorization",
 *                          "budget", "size", "outbox", "unreachable", "closed" (refused at the call, or the hub
 *                          closed), "timeout", "unapplied" (came back and no node applied it), and "unknown" (the
 *                          outcome is not known here)
 * @param rejected          log entries refused unapplied: malformed, foreign, too large, of an unknown format
 * @param resyncs           times this node fell behind the trim watermark and loaded snapshots
 * @param resets            times the engine lost its data and this node wrote its state again
 * @param snapshotAgeMillis how long ago this node last stored a snapshot, or -1 if it has not
 */
@NullMarked
public record SignalStats(int namesInUse, long position, long head, long submitted, long confirmed, long confirmNanos,
                          long applied, Map<String, Long> refused, long rejected, long resyncs, long resets,
                          long snapshotAgeMillis) {

    /** The reasons {@link #refused()} counts by, each present. */
    public static final List<String> REFUSAL_REASONS = List.of("authorization", "budget", "closed", "outbox", "size",
            "timeout", "unapplied", "unknown", "unreachable");

    /** Copies {@code refused}. */
    public SignalStats {
        refused = Map.copyOf(refused);
    }
}
