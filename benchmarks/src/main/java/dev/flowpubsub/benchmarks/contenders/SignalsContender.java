package dev.flowpubsub.benchmarks.contenders;

import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.function.EffectAction;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.benchmarks.fixture.Msg;
import dev.flowpubsub.benchmarks.fixture.Page;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Vaadin 25's shared signals doing a fan-out of discrete messages, the only way they can: a shared message log (a
 * {@link SharedListSignal}, trimmed to its last {@code capacity} entries in the same transaction as each insert, as a
 * chat keeps its last messages) and, per page, a component-bound effect ({@link Signal#effect}) that shows the
 * entries it has not seen yet. A signal carries state, not events: an effect re-runs with the current value after
 * one or more changes, so each page must find its new entries itself, by the id of the last one it saw.
 *
 * <p>The publisher thread has the Vaadin service as current, as a request thread (a click listener) has: then
 * effects are re-run on Vaadin's executor inside {@code ui.access}. From a thread without it, Vaadin runs every
 * page's effect inside the writer's call.
 */
public final class SignalsContender implements Contender {

    private final VaadinService service;
    private final int capacity;
    private final SharedListSignal<Msg> log = new SharedListSignal<>(Msg.class);
    /** Pages whose last seen entry had been trimmed away when their effect ran: they missed messages. */
    private final LongAdder gaps = new LongAdder();

    /** @param capacity how many entries the log keeps; must exceed the messages a publisher keeps in flight */
    public SignalsContender(VaadinService service, int capacity) {
        this.service = service;
        this.capacity = capacity;
    }

    @Override
    public String name() {
        return "signals";
    }

    @Override
    public void subscribe(Page page) {
        page.ui.accessSynchronously(() -> page.registration = Signal.effect(page.line, new NewEntries(page)));
    }

    /** A page's effect: reads the log (so it re-runs on every change) and shows what came after the last seen entry. */
    private final class NewEntries implements EffectAction {
        private final Page page;
        private Id lastSeen;
        private boolean firstRun = true;

        NewEntries(Page page) {
            this.page = page;
        }

        @Override
        public void execute() {
            List<SharedValueSignal<Msg>> entries = log.get();
            int size = entries.size();
            if (firstRun) {
                // a page shows only what is sent after it subscribed, like the other contenders
                firstRun = false;
                lastSeen = size == 0 ? null : entries.get(size - 1).id();
                return;
            }
            int start = size;
            while (start > 0 && !entries.get(start - 1).id().equals(lastSeen)) {
                start--;
            }
            if (start == 0 && lastSeen != null && (size == 0 || !entries.get(0).id().equals(lastSeen))) {
                gaps.increment();
            }
            for (int i = start; i < size; i++) {
                page.show(entries.get(i).peek());
            }
            if (size > 0) {
                lastSeen = entries.get(size - 1).id();
            }
        }
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
        Signal.runInTransaction(() -> {
            log.insertLast(msg);
            List<SharedValueSignal<Msg>> entries = log.peek();
            if (entries.size() > capacity) {
                log.remove(entries.get(0));
            }
        });
    }

    /** How many times a page found its last seen entry trimmed away. Always 0 when the publisher bounds what is in flight. */
    public long gaps() {
        return gaps.sum();
    }

    @Override
    public void close() {
    }
}
