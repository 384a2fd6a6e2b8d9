package dev.flowpubsub;

import com.vaadin.flow.shared.Registration;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a page took (subscriptions, presence joins, component-scoped bindings) while a piece of code ran on this
 * thread, so that it can be removed together: a {@link Retargetable}'s function takes what it likes through the
 * page's {@link PubSub}, and leaving the target removes all of it, also what it took before it threw.
 *
 * <p>Threading: a recording belongs to the thread that runs the code, which holds the page's session lock; the
 * registrations are noted by the thread that takes them, so nothing is shared between threads.
 */
final class TakenDuring {

    /** The recording of the code running on this thread, if any; null where nothing records. */
    private static final ThreadLocal<@Nullable List<Registration>> RECORDING = new ThreadLocal<>();

    private TakenDuring() {
    }

    /**
     * Runs {@code code}, returning what was taken while it ran. If it throws, what it took is removed (the newest
     * first) before the throwable goes on.
     */
    static List<Registration> run(Runnable code) {
        List<Registration> outer = RECORDING.get();
        List<Registration> taken = new ArrayList<>();
        RECORDING.set(taken);
        try {
            code.run();
        } catch (Throwable failure) { // checked ones too: Kotlin and Lombok's @SneakyThrows throw them undeclared
            restore(outer);
            try {
                removeAll(taken);
            } catch (RuntimeException | Error alsoFailed) {
                failure.addSuppressed(alsoFailed);
            }
            throw failure;
        }
        restore(outer);
        return taken;
    }

    /**
     * Runs {@code code} with nothing recorded, as a component-scoped binding takes its subscription at an attach that
     * happens while a recording runs: the binding is what was taken, not its subscription of the moment.
     */
    static <T> T unrecorded(Supplier<T> code) {
        List<Registration> outer = RECORDING.get();
        RECORDING.remove();
        try {
            return code.get();
        } finally {
            restore(outer);
        }
    }

    private static void restore(@Nullable List<Registration> outer) {
        if (outer == null) {
            RECORDING.remove();
        } else {
            RECORDING.set(outer);
        }
    }

    /** Notes {@code registration} in this thread's recording, if one runs, and returns it. */
    static <R extends Registration> R note(R registration) {
        List<Registration> recording = RECORDING.get();
        if (recording != null) {
            recording.add(registration);
        }
        return registration;
    }

    /** Removes them, the newest first, each once; a failure of one does not keep the others. */
    static void removeAll(List<Registration> taken) {
        RuntimeException first = null;
        for (int i = taken.size() - 1; i >= 0; i--) {
            try {
                taken.get(i).remove();
            } catch (RuntimeException failure) {
                if (first == null) {
                    first = failure;
                } else {
                    first.addSuppressed(failure);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
