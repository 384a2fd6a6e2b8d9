package dev.flowpubsub.testsupport;

import java.time.Duration;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The order of a server's UIDL messages to one {@link PushClient} (responses and pushes share one sequence of sync
 * ids). A message that comes before an earlier one opens a gap; if the gap is still open after {@code maxSuspend}
 * (Vaadin's {@code maxMessageSuspendTimeout}), the client resynchronizes, as Vaadin's does: under load Atmosphere can
 * lose a push written to a long poll that has just ended.
 *
 * <p>Threading: any thread; its state is guarded by its monitor, and {@code resynchronize} runs outside it.
 */
final class UidlSequence {

    private final Duration maxSuspend;
    private final BooleanSupplier closed;
    private final Runnable resynchronize;
    private long handled = -1;
    private final TreeSet<Long> ahead = new TreeSet<>();
    private boolean watching;

    UidlSequence(Duration maxSuspend, BooleanSupplier closed, Runnable resynchronize) {
        this.maxSuspend = maxSuspend;
        this.closed = closed;
        this.resynchronize = resynchronize;
    }

    /** The last sync id handled in order; -1 before the first. */
    synchronized long handled() {
        return handled;
    }

    synchronized void seen(long id) {
        if (handled < 0 || id == handled + 1) {
            handled = id;
            while (!ahead.isEmpty() && ahead.first() == handled + 1) {
                handled = ahead.pollFirst();
            }
        } else if (id > handled + 1) {
            ahead.add(id);
            if (!watching) {
                watchGap();
            }
        }
    }

    synchronized void resynchronized(long id) {
        handled = id;
        ahead.removeIf(each -> each <= id);
    }

    /** Under this monitor: gives the message after {@code handled} its time to come. */
    private void watchGap() {
        watching = true;
        long waitingFor = handled + 1;
        var unused = CompletableFuture.runAsync(() -> giveUpWaiting(waitingFor),
                CompletableFuture.delayedExecutor(maxSuspend.toMillis(), TimeUnit.MILLISECONDS));
    }

    private void giveUpWaiting(long waitingFor) {
        boolean lost;
        synchronized (this) {
            watching = false;
            lost = handled < waitingFor && !closed.getAsBoolean();
            if (!lost && !ahead.isEmpty()) { // a later gap opened meanwhile: watch that one
                watchGap();
            }
        }
        if (lost) {
            resynchronize.run();
        }
    }
}
