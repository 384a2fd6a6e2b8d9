package dev.flowpubsub.spi.support;

import org.jspecify.annotations.NullMarked;

import java.time.Duration;

/**
 * The threads a transport runs its loops on (a reader, a writer, a history reader), all made alike: one platform thread
 * per loop, which spends its life in the engine's driver; a daemon, so it never holds the JVM open; inheriting no
 * inheritable thread-locals, so the context of whichever thread started the hub (one user's security context) does not
 * reach the transport, as the hub's own threads do not (docs/guarantees.md). And a bounded wait for one to end when
 * the transport closes.
 *
 * <p>Threading: stateless; any thread.
 */
@NullMarked
public final class EngineThreads {

    /** How long closing a transport waits for each of its threads to end, by default. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private EngineThreads() {
    }

    /** Starts {@code loop} on a new thread named {@code name} (for example {@code flow-pubsub-redis-reader-<node>}). */
    public static Thread start(String name, Runnable loop) {
        Arguments.nonBlank(name, "name");
        Arguments.notNull(loop, "loop");
        return Thread.ofPlatform().daemon().name(name).inheritInheritableThreadLocals(false).start(loop);
    }

    /**
     * Waits up to {@code bound} for {@code thread} to end, as a transport's {@code close} does; returns early, with the
     * interrupt flag set again, if the closing thread is interrupted.
     */
    public static void join(Thread thread, Duration bound) {
        try {
            thread.join(bound);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
