package dev.flowpubsub.benchmarks.contenders;

import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.benchmarks.fixture.Msg;
import dev.flowpubsub.benchmarks.fixture.Page;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What shared signals are made for: one {@link SharedValueSignal} holding the latest message and a per-page effect
 * showing it. It fans out one change to every page, but it is state, not a stream: an effect runs once for any
 * number of changes since its last run and sees only the latest value, so under a steady stream pages skip
 * messages. Measured for single-message fan-out, the send call and memory; never for the steady stream.
 */
public final class SignalValueContender implements Contender {

    private final VaadinService service;
    private CompletableFuture<?> lastWrite = CompletableFuture.completedFuture(null);
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
            long[] shownSeq = {Long.MIN_VALUE};
            page.registration = Signal.effect(page.line, () -> {
                Msg msg = latest.get();
                if (shownSeq[0] == Long.MIN_VALUE) {
                    // the first run: only what is sent after subscribing, like the other contenders
                    shownSeq[0] = msg == null ? -1 : msg.seq();
                } else if (msg != null && msg.seq() > shownSeq[0]) {
                    // an effect may re-run for the same or an older value (two writes confirmed out of order): a view
                    // would render that state again; we count only messages newer than what the page has shown
                    shownSeq[0] = msg.seq();
                    page.show(msg);
                }
            });
        });
    }

    @Override
    public void preparePublisherThread() {
        VaadinService.setCurrent(service);
    }

    @Override
    public void send(Msg msg) {
        lastWrite = latest.set(msg).result();
    }

    @Override
    public boolean deliversEveryMessage() {
        return false;
    }

    /**
     * Waits for the last write's confirmation. Two writes confirmed out of order on Vaadin's executor reorder a list
     * and can set a value back to the older one, so single-message benchmarks let each write settle first.
     */
    @Override
    public void settle() {
        try {
            lastWrite.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("a signal write was not confirmed within 30 s", e);
        }
    }

    @Override
    public void close() {
    }
}
