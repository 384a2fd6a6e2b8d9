package dev.flowpubsub.benchmarks.contenders;

import com.vaadin.flow.shared.Registration;
import dev.flowpubsub.benchmarks.fixture.Msg;

import java.util.LinkedList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The broadcaster pattern of the Vaadin documentation (Server Push, "Broadcaster"), as applications copy it: a
 * static list of listeners guarded by the class monitor, one single-thread executor, and one task per listener
 * per message. Kept as the docs have it, limits included, because it is the anchor the library is compared with.
 */
public final class Broadcaster {

    // the docs' shape on purpose: a static single-thread executor and a static LinkedList, both under the class lock
    static final Executor executor = Executors.newSingleThreadExecutor();

    @SuppressWarnings("JdkObsolete") // verbatim from the Vaadin docs, LinkedList included
    static final LinkedList<Consumer<Msg>> listeners = new LinkedList<>();

    private Broadcaster() {
    }

    /** Adds a listener; the registration removes it. A view calls this in {@code onAttach}. */
    public static synchronized Registration register(Consumer<Msg> listener) {
        listeners.add(listener);
        return () -> {
            synchronized (Broadcaster.class) {
                listeners.remove(listener);
            }
        };
    }

    /** Hands the message to every listener, each in its own task on the one executor thread. */
    public static synchronized void broadcast(Msg message) {
        for (Consumer<Msg> listener : listeners) {
            executor.execute(() -> listener.accept(message));
        }
    }
}
