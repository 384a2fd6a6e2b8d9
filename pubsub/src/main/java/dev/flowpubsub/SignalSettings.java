package dev.flowpubsub;

import java.time.Duration;

/**
 * How a node's shared signals behave; the hub builder's defaults unless a test or the builder says otherwise.
 *
 * @param maxEntryBytes     the largest write (one submit's commands, encoded); a larger one is refused
 * @param maxNodes          the most nodes a tree may hold; a write that would grow it past that is refused
 * @param maxPending        the most writes waiting for the engine; more are refused
 * @param writeTimeout      how long a write waits for an unreachable engine before it is refused
 * @param callTimeout       how long one call to the engine may take before it counts as failed
 * @param retainEntries     how many entries the log keeps behind its head; older ones are snapshotted and trimmed
 * @param snapshotInterval  how often the trees this node holds are snapshotted when they changed
 * @param loadTimeout       how long making a signal waits for its state to load before it returns (and goes on
 *                          loading in the background)
 */
record SignalSettings(int maxEntryBytes, int maxNodes, int maxPending, Duration writeTimeout, Duration callTimeout,
                      int retainEntries, Duration snapshotInterval, Duration loadTimeout) {

    static final SignalSettings DEFAULTS = new SignalSettings(64 * 1024, 100_000, 10_000, Duration.ofSeconds(10),
            Duration.ofSeconds(5), 10_000, Duration.ofSeconds(30), Duration.ofSeconds(5));

    SignalSettings withRetainEntries(int retain) {
        return new SignalSettings(maxEntryBytes, maxNodes, maxPending, writeTimeout, callTimeout, retain,
                snapshotInterval, loadTimeout);
    }

    SignalSettings withWriteTimeout(Duration timeout) {
        return new SignalSettings(maxEntryBytes, maxNodes, maxPending, timeout, callTimeout, retainEntries,
                snapshotInterval, loadTimeout);
    }
}
