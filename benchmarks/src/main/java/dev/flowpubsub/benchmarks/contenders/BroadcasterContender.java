package dev.flowpubsub.benchmarks.contenders;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.benchmarks.fixture.Msg;
import dev.flowpubsub.benchmarks.fixture.Page;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The docs' {@link Broadcaster} used the way its example view does: in {@code onAttach} each page registers
 * {@code message -> ui.access(() -> show(message))}, and removes the registration in {@code onDetach}.
 */
public final class BroadcasterContender implements Contender {

    @Override
    public String name() {
        return "broadcaster";
    }

    @Override
    @SuppressWarnings("FutureReturnValueIgnored") // the Vaadin docs' pattern, as users write it
    public void subscribe(Page page) {
        UI ui = page.ui;
        // onAttach runs with the session locked
        ui.accessSynchronously(() -> page.registration = Broadcaster.register(message -> ui.access(() -> page.show(message))));
    }

    @Override
    public void send(Msg msg) {
        Broadcaster.broadcast(msg);
    }

    /** Waits until the one executor thread has run everything queued before now (its tasks run in order). */
    @Override
    public void settle() {
        CompletableFuture<Void> drained = new CompletableFuture<>();
        Broadcaster.executor.execute(() -> drained.complete(null));
        try {
            drained.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the broadcaster's executor did not drain within 30 s", e);
        }
    }

    @Override
    public void close() {
        // the docs' executor is static and never shut down; pages unsubscribe themselves
    }
}
