package dev.flowpubsub.spi.support;

import org.jspecify.annotations.NullMarked;

import java.time.Duration;

/**
 * The settings every engine transport's builder has, with their defaults and their checks, defined once: how long the
 * log keeps messages for nodes that reconnect and how many, how long a topic's history stays, how much a node keeps
 * for the others while the engine is away, and how long one call may take. A builder holds one, replaces it through
 * the {@code with...} methods from its own public methods (which keep their own javadoc, in the engine's words) and
 * hands it to its transport.
 *
 * <p>A bad value fails with the same words as every other argument check ({@link Arguments}): the setting's name,
 * what is allowed, and what was given.
 *
 * <p>Threading: immutable.
 *
 * @param retention        how long the log keeps messages for nodes that reconnect; at least 1 second
 * @param maxLength        how many messages the log keeps at most; at least 1
 * @param historyRetention how long a topic's history stays after its last message; at least 1 second
 * @param outboxCapacity   how many messages a node keeps for the others while the engine is unreachable; at least 1
 * @param outboxMaxBytes   how many bytes of payload it keeps for them, whatever their number; at least 1
 * @param commandTimeout   how long one call to the engine may take before its connection is taken as lost; at least
 *                         1 ms (an engine may ask for more, see {@link #withCommandTimeout(Duration, Duration)})
 */
@NullMarked
public record EngineSettings(Duration retention, long maxLength, Duration historyRetention, int outboxCapacity,
                             long outboxMaxBytes, Duration commandTimeout) {

    private static final Duration ONE_SECOND = Duration.ofSeconds(1); // first: DEFAULTS below is checked with it

    /** Default time messages stay in the log for nodes that reconnect: 5 minutes. */
    public static final Duration DEFAULT_RETENTION = Duration.ofMinutes(5);
    /** Default number of messages the log keeps at most. */
    public static final long DEFAULT_MAX_LENGTH = 100_000;
    /** Default time a topic's history stays after its last message: 1 day. */
    public static final Duration DEFAULT_HISTORY_RETENTION = Duration.ofDays(1);
    /** Default number of messages a node keeps for the others while the engine is unreachable. */
    public static final int DEFAULT_OUTBOX_CAPACITY = 50_000;
    /** Default payload bytes a node keeps for the others while the engine is unreachable (64 MiB). */
    public static final long DEFAULT_OUTBOX_MAX_BYTES = 64L * 1024 * 1024;
    /** Default time one call to the engine may take: 5 seconds. */
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(5);

    /** Every setting at its default. */
    public static final EngineSettings DEFAULTS = new EngineSettings(DEFAULT_RETENTION, DEFAULT_MAX_LENGTH,
            DEFAULT_HISTORY_RETENTION, DEFAULT_OUTBOX_CAPACITY, DEFAULT_OUTBOX_MAX_BYTES, DEFAULT_COMMAND_TIMEOUT);

    /** Checks every setting (see the parameters). */
    public EngineSettings {
        Arguments.atLeast(retention, ONE_SECOND, "retention");
        Arguments.positive(maxLength, "maxLength");
        Arguments.atLeast(historyRetention, ONE_SECOND, "historyRetention");
        Arguments.positive(outboxCapacity, "outboxCapacity");
        Arguments.positive(outboxMaxBytes, "outboxMaxBytes");
        Arguments.atLeast(commandTimeout, Duration.ofMillis(1), "commandTimeout");
    }

    /** These settings with another {@code retention}. */
    public EngineSettings withRetention(Duration retention) {
        return new EngineSettings(retention, maxLength, historyRetention, outboxCapacity, outboxMaxBytes,
                commandTimeout);
    }

    /** These settings with another {@code maxLength}. */
    public EngineSettings withMaxLength(long maxLength) {
        return new EngineSettings(retention, maxLength, historyRetention, outboxCapacity, outboxMaxBytes,
                commandTimeout);
    }

    /** These settings with another {@code historyRetention}. */
    public EngineSettings withHistoryRetention(Duration historyRetention) {
        return new EngineSettings(retention, maxLength, historyRetention, outboxCapacity, outboxMaxBytes,
                commandTimeout);
    }

    /** These settings with another {@code outboxCapacity}. */
    public EngineSettings withOutboxCapacity(int outboxCapacity) {
        return new EngineSettings(retention, maxLength, historyRetention, outboxCapacity, outboxMaxBytes,
                commandTimeout);
    }

    /** These settings with another {@code outboxMaxBytes}. */
    public EngineSettings withOutboxMaxBytes(long outboxMaxBytes) {
        return new EngineSettings(retention, maxLength, historyRetention, outboxCapacity, outboxMaxBytes,
                commandTimeout);
    }

    /**
     * These settings with another {@code commandTimeout}, of at least {@code least}: the shortest the engine's
     * transport accepts, when that is more than 1 ms.
     */
    public EngineSettings withCommandTimeout(Duration commandTimeout, Duration least) {
        Arguments.atLeast(commandTimeout, least, "commandTimeout");
        return new EngineSettings(retention, maxLength, historyRetention, outboxCapacity, outboxMaxBytes,
                commandTimeout);
    }
}
