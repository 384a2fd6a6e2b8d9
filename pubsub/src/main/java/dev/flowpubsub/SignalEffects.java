package dev.flowpubsub;

import com.vaadin.flow.signals.SignalEnvironment;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the page work that a confirm starts goes: Vaadin runs a signal's effects and result callbacks on the
 * executor of the active {@link SignalEnvironment}, and a replica's thread has no current {@code VaadinService}, so
 * with Vaadin's own environment alone every page's effect would run right there, on the replica's thread, under the
 * tree's lock, one page after the other. This environment is active on replica threads only. Result callbacks go to
 * the hub's executor at once. Effects are held while the replica applies what it read (each takes the tree's lock
 * when it runs, which the replica holds while it notifies) and handed over by {@link #release} once the pass is done
 * ({@link Handover}): a thousand pages start a few dozen tasks, not a thousand (measured in BENCHMARKS.md, "Shared
 * signals across servers").
 *
 * <p>Threading: {@link #bind} once on a replica thread, before it confirms anything; {@link #release} on that thread.
 */
final class SignalEffects extends SignalEnvironment {

    /** A task is started for every this many effects of a pass. */
    static final int CHUNK = 16;
    private static final Logger LOG = Logs.DELIVERY;
    private static final ThreadLocal<@Nullable PageWork> PAGE_WORK = new ThreadLocal<>();
    private static final ThreadLocal<List<Runnable>> HELD = ThreadLocal.withInitial(ArrayList::new);
    private static final Executor HOLD = SignalEffects::hold;

    /**
     * The hub's executor for page work, with its count of work in progress (effects held count as one unit, so the
     * hub is not idle for {@code awaitIdle} between a write read back and its effects handed over) and its timer.
     */
    record PageWork(Executor executor, Runnable begin, Runnable done, HubTimer timer) {
    }

    static {
        SignalEnvironment.registerFirst(new SignalEffects());
    }

    private SignalEffects() {
    }

    /** Makes the current thread, a replica's, hand effects and result callbacks to {@code pageWork}. */
    static void bind(PageWork pageWork) {
        PAGE_WORK.set(pageWork);
    }

    private static void hold(Runnable effect) {
        List<Runnable> held = HELD.get();
        PageWork pageWork = PAGE_WORK.get();
        if (held.isEmpty() && pageWork != null) {
            pageWork.begin().run(); // ended by the release, after the effects are handed over
        }
        held.add(effect);
    }

    /** Hands the effects this thread held to the page work, in the order they came; nothing on an unbound thread. */
    static void release() {
        PageWork pageWork = PAGE_WORK.get();
        List<Runnable> held = HELD.get();
        if (pageWork == null || held.isEmpty()) {
            return;
        }
        Handover handover = new Handover(held.toArray(Runnable[]::new), pageWork);
        held.clear();
        try {
            handover.start();
        } finally {
            pageWork.done().run();
        }
    }

    /**
     * One pass's effects, taken in order, one at a time, by a task per {@value #CHUNK} of them. An effect's task only
     * hands its page's work to {@code ui.access}, which never waits for a busy session, but when the session is free
     * the page's effect runs right there, so a slow one holds its task. While effects still wait to be taken
     * {@link DeliveryLanes#STUCK_NANOS} after the hand-over, the tasks double every half of that (never more than the
     * effects waiting): one slow page holds the others up for about 20 ms, and each time the slow ones ahead double,
     * about 10 ms more.
     *
     * <p>Threading: taken by the tasks on the hub's executor; checked on the hub's timer.
     */
    private static final class Handover {
        private final Runnable[] effects;
        private final PageWork pageWork;
        private final AtomicInteger next = new AtomicInteger();
        private final AtomicInteger tasks = new AtomicInteger();

        Handover(Runnable[] effects, PageWork pageWork) {
            this.effects = effects;
            this.pageWork = pageWork;
        }

        void start() {
            add((effects.length + CHUNK - 1) / CHUNK);
            if (effects.length > 1) {
                check(DeliveryLanes.STUCK_NANOS);
            }
        }

        private void add(int count) {
            for (int i = 0; i < count; i++) {
                tasks.incrementAndGet();
                pageWork.executor().execute(this::take);
            }
        }

        private void take() {
            for (int at = next.getAndIncrement(); at < effects.length; at = next.getAndIncrement()) {
                try {
                    effects[at].run();
                } catch (RuntimeException e) { // a bug, not a page's: a page's error goes to its session
                    LOG.error("flow-pubsub: a shared signal's effect could not be handed to its page", e);
                }
            }
        }

        /** In {@code delayNanos}: while effects wait, as many tasks again (up to the effects waiting), and again. */
        private void check(long delayNanos) {
            try {
                pageWork.timer().schedule(() -> {
                    int waiting = effects.length - next.get();
                    if (waiting > 0) {
                        add(Math.min(waiting, tasks.get()));
                        check(DeliveryLanes.STUCK_NANOS / 2);
                    }
                }, delayNanos);
            } catch (RejectedExecutionException closed) { // the hub is closing: the tasks started go on
            }
        }
    }

    @Override
    protected boolean isActive() {
        return PAGE_WORK.get() != null;
    }

    @Override
    protected Executor getResultNotifier() {
        PageWork pageWork = PAGE_WORK.get();
        return pageWork != null ? pageWork.executor() : Runnable::run; // only asked while active: on a bound thread
    }

    @Override
    protected Executor getEffectDispatcher() {
        return HOLD; // only asked while active: on a bound thread, which releases what it held
    }
}
