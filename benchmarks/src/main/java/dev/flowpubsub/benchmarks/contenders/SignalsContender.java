package dev.flowpubsub.benchmarks.contenders;

import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.function.EffectAction;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.benchmarks.fixture.Msg;
import dev.flowpubsub.benchmarks.fixture.Page;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
    private CompletableFuture<?> lastWrite = CompletableFuture.completedFuture(null);
    private final int capacity;
    private final SharedListSignal<Msg> log = new SharedListSignal<>(Msg.class);
    /** Messages a page was shown after a later one. */
    private final LongAdder reordered = new LongAdder();

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

    /**
     * A page's effect: reads the log (so it re-runs after every change) and shows the entries it has not shown yet.
     * New entries are found by id, not by position: the local signal tree confirms each write on Vaadin's executor,
     * so two inserts sent one after the other can be confirmed in the other order, and the list's order then flips
     * after the fact (seen here: "... 79 81 80").
     */
    private final class NewEntries implements EffectAction {
        private final Page page;
        /**
         * Ids in the log when the page subscribed, then at each run. Taken at subscribe time, not at the effect's
         * first run: that run may come after the first new message, which the page would then never show.
         */
        private Set<Id> shown;
        private long lastSeq = -1;

        NewEntries(Page page) {
            this.page = page;
            this.shown = ids(log.peek());
        }

        @Override
        public void execute() {
            List<SharedValueSignal<Msg>> entries = log.get();
            Set<Id> present = new HashSet<>(entries.size() * 2);
            for (SharedValueSignal<Msg> entry : entries) {
                Id id = entry.id();
                present.add(id);
                if (!shown.contains(id)) { // a page shows only what is sent after it subscribed, like the others
                    Msg msg = entry.peek();
                    if (msg.seq() < lastSeq) {
                        reordered.increment();
                    }
                    lastSeq = Math.max(lastSeq, msg.seq());
                    page.show(msg);
                }
            }
            shown = present;
        }
    }

    private static Set<Id> ids(List<SharedValueSignal<Msg>> entries) {
        Set<Id> ids = new HashSet<>(entries.size() * 2);
        entries.forEach(entry -> ids.add(entry.id()));
        return ids;
    }

    @Override
    public void preparePublisherThread() {
        VaadinService.setCurrent(service);
    }

    @Override
    public void send(Msg msg) {
        lastWrite = Signal.runInTransaction(() -> {
            log.insertLast(msg);
            List<SharedValueSignal<Msg>> entries = log.peek();
            if (entries.size() > capacity) {
                log.remove(entries.get(0));
            }
        }).result();
    }

    /** How many deliveries came after a later message to the same page: the log's order flipped. */
    public long reordered() {
        return reordered.sum();
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
