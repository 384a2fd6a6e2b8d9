package dev.flowpubsub.benchmarks.contenders;

import dev.flowpubsub.benchmarks.fixture.VaadinPages;

import java.util.List;

/** Creates contenders by the names the benchmarks take as parameters. */
public final class Contenders {

    /** Every contender, anchors first. */
    public static final List<String> ALL = List.of("broadcaster", "signals", "signal-value", "pubsub");
    /** Entries the signals' message log keeps, as a chat keeps its last messages; above every benchmark's window. */
    public static final int SIGNALS_LOG_CAPACITY = 64;

    private Contenders() {
    }

    public static Contender create(String name, VaadinPages pages) {
        return switch (name) {
            case "broadcaster" -> new BroadcasterContender();
            case "signals" -> new SignalsContender(pages.service, SIGNALS_LOG_CAPACITY);
            case "signal-value" -> new SignalValueContender(pages.service);
            case "pubsub" -> new PubSubContender();
            case "span", "bound-local", "bound-cluster" -> new BoundTextContender(name, pages.service);
            default -> throw new IllegalArgumentException("unknown contender '" + name + "': one of " + ALL
                    + " or, for memory, " + BoundTextContender.NAMES);
        };
    }
}
