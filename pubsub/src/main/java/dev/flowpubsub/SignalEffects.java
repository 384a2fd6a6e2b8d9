package dev.flowpubsub;

import com.vaadin.flow.signals.SignalEnvironment;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;

/**
 * Where the page work that a confirm starts goes: Vaadin runs a signal's effects and result callbacks on the
 * executor of the active {@link SignalEnvironment}, and a replica's thread has no current {@code VaadinService}, so
 * with Vaadin's own environment alone every page's effect would run right there, on the replica's thread, under the
 * tree's lock, one page after the other. This environment is active on replica threads only. Result callbacks go to
 * the hub's executor at once. Effects are held while the replica applies what it read (each takes the tree's lock
 * when it runs, which the replica holds while it notifies) and handed over by {@link #release} once the pass is done,
 * {@value #CHUNK} to a task: an effect's task only hands its page's work to {@code ui.access}, which never waits for a
 * busy session, so a page whose session is busy delays no other page and no later confirm, and a thousand pages start
 * a few dozen tasks, not a thousand (measured in BENCHMARKS.md, "Shared signals across servers").
 *
 * <p>Threading: {@link #bind} once on a replica thread, before it confirms anything; {@link #release} on that thread.
 */
final class SignalEffects extends SignalEnvironment {

    /** Effects run one after the other in one task. */
    static final int CHUNK = 16;
    private static final Logger LOG = Logs.DELIVERY;
    private static final ThreadLocal<@Nullable PageWork> PAGE_WORK = new ThreadLocal<>();
    private static final ThreadLocal<List<Runnable>> HELD = ThreadLocal.withInitial(ArrayList::new);
    private static final Executor HOLD = SignalEffects::hold;

    /**
     * The hub's executor for page work, with its count of work in progress: effects held count as one unit, so the
     * hub is not idle ({@code awaitIdle}) between a write read back and its effects handed over.
     */
    record PageWork(Executor executor, Runnable begin, Runnable done) {
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
        List<Runnable> effects = List.copyOf(held);
        held.clear();
        try {
            for (int from = 0; from < effects.size(); from += CHUNK) {
                List<Runnable> chunk = effects.subList(from, Math.min(effects.size(), from + CHUNK));
                pageWork.executor().execute(() -> chunk.forEach(SignalEffects::run));
            }
        } finally {
            pageWork.done().run();
        }
    }

    /** One effect's task: one that throws (a bug, not a page's: a page's error goes to its session) stops no other. */
    private static void run(Runnable effect) {
        try {
            effect.run();
        } catch (RuntimeException e) {
            LOG.error("flow-pubsub: a shared signal's effect could not be handed to its page", e);
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
