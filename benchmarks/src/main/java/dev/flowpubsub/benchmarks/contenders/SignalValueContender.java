package dev.flowpubsub.benchmarks.contenders;

import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.benchmarks.fixture.Msg;
import dev.flowpubsub.benchmarks.fixture.Page;

/**
 * What shared signals are made for: one {@link SharedValueSignal} holding the latest message and a per-page effect
 * showing it. It fans out one change to every page, but it is state, not a stream: an effect runs once for any
 * number of changes since its last run and sees only the latest value, so under a steady stream pages skip
 * messages. Measured for single-message fan-out, the send call and memory; never for the steady stream.
 */
public final class SignalValueContender implements Contender {

    private final VaadinService service;
    private final SharedValueSignal<Msg> latest = new SharedValueSignal<>(Msg.class);

    public SignalValueContender(VaadinService service) {
        this.service = service;
    }

    @Override
    public String name() {
        return "signal-value";
    }

    @Override
    public void subscribe(Page page) {
        page.ui.accessSynchronously(() -> {
            boolean[] firstRun = {true};
            page.registration = Signal.effect(page.line, () -> {
                Msg msg = latest.get();
                if (firstRun[0]) {
                    firstRun[0] = false; // only what is sent after subscribing, like the other contenders
                } else if (msg != null) {
                    page.show(msg);
                }
            });
        });
    }

    @Override
    public void unsubscribe(Page page) {
        page.ui.accessSynchronously(() -> {
            ((Registration) page.registration).remove();
            page.registration = null;
        });
    }

    @Override
    public void preparePublisherThread() {
        VaadinService.setCurrent(service);
    }

    @Override
    public void send(Msg msg) {
        latest.set(msg);
    }

    @Override
    public boolean deliversEveryMessage() {
        return false;
    }

    @Override
    public void close() {
    }
}
