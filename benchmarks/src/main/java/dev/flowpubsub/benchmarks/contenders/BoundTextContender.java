package dev.flowpubsub.benchmarks.contenders;

import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.benchmarks.fixture.Msg;
import dev.flowpubsub.benchmarks.fixture.Page;
import org.jspecify.annotations.Nullable;

/**
 * What a page costs to hold a text bound to shared state, for the memory tool: each page gets one more {@link Span},
 * and with {@code bound-local} its text is bound ({@code bindText}) to one of Vaadin's own local
 * {@link SharedValueSignal}s, with {@code bound-cluster} to one cluster signal of a flow-pubsub hub (in memory, without
 * an engine: what a page holds is the same on every engine), and with {@code span} only set: the unbound page the
 * other two are compared with. Removing a page's registration removes its span, which ends the binding's effect.
 * Measured for memory only: {@link #send} writes the signal, but no benchmark times it.
 */
public final class BoundTextContender implements Contender {

    /** The names, the unbound page first. */
    public static final java.util.List<String> NAMES = java.util.List.of("span", "bound-local", "bound-cluster");

    private final String name;
    private final VaadinService service;
    private final @Nullable PubSubHub hub;
    private final @Nullable SharedValueSignal<String> signal;

    BoundTextContender(String name, VaadinService service) {
        this.name = name;
        this.service = service;
        this.hub = "bound-cluster".equals(name) ? PubSubHub.builder().build() : null;
        this.signal = switch (name) {
            case "span" -> null;
            case "bound-local" -> new SharedValueSignal<>(String.class);
            case "bound-cluster" -> java.util.Objects.requireNonNull(hub).signals().value("bench.memory", String.class);
            default -> throw new IllegalArgumentException("not a bound-text contender: " + name);
        };
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void subscribe(Page page) {
        page.ui.accessSynchronously(() -> {
            Span text = new Span();
            page.ui.add(text);
            if (signal == null) {
                text.setText("unbound");
            } else {
                text.getElement().bindText(signal);
            }
            page.registration = () -> page.ui.remove(text);
        });
    }

    @Override
    public void preparePublisherThread() {
        VaadinService.setCurrent(service);
    }

    @Override
    public void send(Msg msg) {
        if (signal != null) {
            signal.set(msg.text());
        }
    }

    @Override
    public boolean deliversEveryMessage() {
        return false;
    }

    @Override
    public void close() {
        if (hub != null) {
            hub.close();
        }
    }
}
