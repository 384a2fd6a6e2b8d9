package dev.flowpubsub;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits until a hub has nothing in flight ({@link PubSubHub#awaitIdle}): its fan-out and page batches, the presence
 * changes gathered for their window (told now), and the shared signal writes of this node, whose confirms hand effects
 * to the fan-out's executor. Round after round, as each may start the others; settled before and after the fan-out's
 * wait, as the fan-out's work may write (an owner cleared after a leave).
 *
 * <p>Threading: the waiting thread; never a page's session lock holder for pages it waits on.
 */
final class IdleWait {

    private IdleWait() {
    }

    static boolean await(Dispatcher dispatcher, BooleanSupplier signalsSettled, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (;;) {
            boolean presenceTold = !dispatcher.tellPresenceNow();
            boolean settled = signalsSettled.getAsBoolean(); // before the dispatcher: a confirm hands it effects
            if (!dispatcher.awaitIdle(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                return false;
            }
            if (settled && presenceTold && !dispatcher.tellPresenceNow() && signalsSettled.getAsBoolean()) {
                return true;
            }
            if (deadline - System.nanoTime() <= 0) {
                return false;
            }
            Thread.sleep(1); // a write waits for the engine to take it and for this node to read it back
        }
    }
}
