package dev.flowpubsub.benchmarks.crosssignal;

import com.vaadin.flow.signals.shared.AbstractSharedSignal;
import com.vaadin.flow.signals.shared.impl.SignalTree;
import dev.flowpubsub.benchmarks.fixture.Msg;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

import java.lang.reflect.Method;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * One way the writer's call reaches the pages (a message, a cluster signal write, a write of Vaadin's own local
 * signal), with its clocks: to the first and to the last page's handler or effect, and for a signal, to the moment
 * the pages' tree starts notifying its observers (an observer of the value registered before any page's effect, so
 * first in line), and to the moment its tree confirmed the write on the writer's node and on the pages' node
 * (Vaadin's tree tells subscribers of processed commands right after it has notified every observer, so that clock
 * includes scheduling every page's effect; on one node, where the effects run on the writer's optimistic change,
 * it comes later).
 *
 * <p>Threading: {@link #send} and {@link #record} on the writer's thread; the trees' clocks are set on the thread
 * that confirms (a replica's, or Vaadin's executor's) and read after the write reached every page.
 */
public final class Route {

    private static final long MAX = TimeUnit.SECONDS.toNanos(30);

    final String name;
    private final Consumer<Msg> send;
    final Histogram last = new Histogram(MAX, 3);
    final Histogram first = new Histogram(MAX, 3);
    final Histogram confirmedOnWriter = new Histogram(MAX, 3);
    final Histogram confirmedOnPages = new Histogram(MAX, 3);
    final Histogram notifying = new Histogram(MAX, 3);
    private final boolean signal;
    /** Whether the pages are on another node than the writer (another tree of the same signal). */
    private boolean twoTrees;
    private volatile long writerConfirmedAt;
    private volatile long pagesConfirmedAt;
    private volatile long notifyingAt;

    private Route(String name, Consumer<Msg> send, boolean signal) {
        this.name = name;
        this.send = send;
        this.signal = signal;
    }

    /** A route whose arrival only the pages' handlers tell (a message). */
    static Route message(String name, Consumer<Msg> send) {
        return new Route(name, send, false);
    }

    /**
     * A signal route: {@code onWriter} is written, {@code onPages} is what the pages are bound to (the same object on
     * one node); both trees' confirms are clocked.
     */
    static Route signal(String name, AbstractSharedSignal<Msg> onWriter, AbstractSharedSignal<Msg> onPages,
                        Consumer<Msg> send) {
        Route route = new Route(name, send, true);
        SignalTree writerTree = tree(onWriter);
        SignalTree pagesTree = tree(onPages);
        writerTree.subscribeToProcessed((command, result) -> route.writerConfirmedAt = System.nanoTime());
        // the first observer of the value on the pages' node, before any page's effect: when the tree starts notifying
        pagesTree.observeNextChange(onPages.id(), immediate -> {
            route.notifyingAt = System.nanoTime();
            return true; // kept, first in line
        });
        route.twoTrees = !pagesTree.equals(writerTree); // SignalTree keeps Object's identity equality
        if (route.twoTrees) {
            pagesTree.subscribeToProcessed((command, result) -> route.pagesConfirmedAt = System.nanoTime());
        }
        return route;
    }

    /** The signal's tree: protected in Vaadin's API; read here only to clock its confirms. */
    private static SignalTree tree(AbstractSharedSignal<?> signal) {
        try {
            Method tree = AbstractSharedSignal.class.getDeclaredMethod("tree");
            tree.setAccessible(true);
            return (SignalTree) tree.invoke(signal);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read a shared signal's tree (Vaadin changed?)", e);
        }
    }

    void send(Msg msg) {
        writerConfirmedAt = 0;
        pagesConfirmedAt = 0;
        notifyingAt = 0;
        send.accept(msg);
    }

    /**
     * After a write reached every page: its clocks, from {@code sentAt} ({@link System#nanoTime()}); kept if
     * {@code measured} (a warm-up write's trees' clocks are only let settle).
     */
    void record(boolean measured, long sentAt, long firstNanos, long lastNanos) {
        long writer = signal ? awaitClock(true) : 0;
        long pages = !signal ? 0 : twoTrees ? awaitClock(false) : writer;
        if (!measured) {
            return;
        }
        last.recordValue(lastNanos);
        first.recordValue(firstNanos);
        if (signal) {
            if (writer != 0) {
                confirmedOnWriter.recordValue(Math.max(0, writer - sentAt));
            }
            if (pages != 0) {
                confirmedOnPages.recordValue(Math.max(0, pages - sentAt));
            }
            long notified = notifyingAt;
            if (notified != 0) {
                notifying.recordValue(Math.max(0, notified - sentAt));
            }
        }
    }

    /**
     * A tree's clock of the last write: a tree tells processed commands after it scheduled the pages' effects, so a
     * fast last page can come first; waits for it up to a second (0: not seen, as for a tree that is not there).
     */
    private long awaitClock(boolean writer) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        for (;;) {
            long at = writer ? writerConfirmedAt : pagesConfirmedAt;
            if (at != 0 || System.nanoTime() - deadline > 0) {
                return at;
            }
            LockSupport.parkNanos(20_000); // not a spin: the confirming thread needs the core
        }
    }

    /** A clock's p50 and p99 over a route's measured writes, in µs. */
    public record Clock(double p50Us, double p99Us) {
    }

    /** The p50 and p99 of {@code histogram}, or {@code null} when it holds nothing. */
    static @Nullable Clock percentiles(Histogram histogram) {
        if (histogram.getTotalCount() == 0) {
            return null;
        }
        return new Clock(histogram.getValueAtPercentile(50) / 1e3, histogram.getValueAtPercentile(99) / 1e3);
    }
}
