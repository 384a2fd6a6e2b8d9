package dev.flowpubsub;

import com.vaadin.flow.signals.SignalEnvironment;
import org.jspecify.annotations.Nullable;

import java.util.concurrent.Executor;

/**
 * Where the page work that a confirm starts goes: Vaadin runs a signal's effects and result callbacks on the
 * executor of the active {@link SignalEnvironment}, and a replica's thread has no current {@code VaadinService}, so
 * with Vaadin's own environment alone every page's effect would run right there, on the replica's thread, under the
 * tree's lock, one page after the other. This environment is active on replica threads only and hands that work to
 * the hub's executor (a task per effect, which takes the page's lock there), so a page whose session is busy delays
 * no other page and no later confirm.
 *
 * <p>Threading: {@link #bind} once on a replica thread, before it confirms anything.
 */
final class SignalEffects extends SignalEnvironment {

    private static final ThreadLocal<@Nullable Executor> PAGE_WORK = new ThreadLocal<>();

    static {
        SignalEnvironment.registerFirst(new SignalEffects());
    }

    private SignalEffects() {
    }

    /** Makes the current thread, a replica's, hand effects and result callbacks to {@code pageWork}. */
    static void bind(Executor pageWork) {
        PAGE_WORK.set(pageWork);
    }

    @Override
    protected boolean isActive() {
        return PAGE_WORK.get() != null;
    }

    @Override
    protected Executor getResultNotifier() {
        return pageWork();
    }

    @Override
    protected Executor getEffectDispatcher() {
        return pageWork();
    }

    /** Only asked while {@link #isActive()}: on a bound thread. */
    private static Executor pageWork() {
        Executor pageWork = PAGE_WORK.get();
        return pageWork != null ? pageWork : Runnable::run;
    }
}
