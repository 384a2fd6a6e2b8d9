package dev.flowpubsub.chat;

import com.vaadin.flow.shared.Registration;

import java.util.LinkedList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * The broadcaster of the Vaadin documentation (Server Push, "Broadcaster"), as applications copy it: a static list
 * of listeners under the class lock, one single-thread executor, one task per listener per message. It is here only
 * so the benchmarks can measure it beside flow-pubsub in the same application ({@link BroadcasterChatView}); the
 * chat itself does not use it.
 */
public final class Broadcaster {

    // the docs' shape on purpose: a static single-thread executor and a static LinkedList, both under the class lock
    static final Executor executor = Executors.newSingleThreadExecutor();

    @SuppressWarnings("JdkObsolete") // verbatim from the Vaadin docs, LinkedList included
    static final LinkedList<Consumer<String>> listeners = new LinkedList<>();

    private Broadcaster() {
    }

    /** Adds a listener; the registration removes it. Views call this in {@code onAttach}. */
    public static synchronized Registration register(Consumer<String> listener) {
        listeners.add(listener);
        return () -> {
            synchronized (Broadcaster.class) {
                listeners.remove(listener);
            }
        };
    }

    /** Hands the message to every listener, each in its own task on the one executor thread. */
    public static synchronized void broadcast(String message) {
        for (Consumer<String> listener : listeners) {
            executor.execute(() -> listener.accept(message));
        }
    }
}
