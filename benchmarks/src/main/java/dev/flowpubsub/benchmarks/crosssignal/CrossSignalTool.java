package dev.flowpubsub.benchmarks.crosssignal;

import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.JsonCodec;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.benchmarks.Args;
import dev.flowpubsub.benchmarks.fixture.EngineServer;
import dev.flowpubsub.benchmarks.fixture.Msg;
import dev.flowpubsub.benchmarks.fixture.Page;
import dev.flowpubsub.benchmarks.fixture.VaadinPages;
import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A shared signal written on node A until every page on node B shows it, beside a message sent on A to the same
 * pages, in the same run: two hubs on one real redis-server or PostgreSQL, pages on node B only, each bound to one
 * cluster value signal by an effect (as {@code bindText} is) and subscribed to messages. With the engine
 * {@code local}, one node and no engine: a message, a cluster signal in memory, and Vaadin's own local
 * {@link SharedValueSignal}, all to the same pages on the writer's node, the writer's thread with its
 * {@code VaadinService} current (as a page's request thread has it; without it Vaadin runs every page's effect on the
 * writer's thread, one after the other). Routes take turns, one write at a time (each shown by every page before the
 * next, after a short pause); each is timed from the call to the first and to the last page's effect or handler, and
 * a signal also to when the pages' tree starts notifying and when each node's tree confirmed it.
 *
 * <pre>java -jar benchmarks.jar crosssignal --writes 500 --pages 1000 --engines redis,postgres,local</pre>
 */
public final class CrossSignalTool {

    /** The routes by their keys ({@code --routes}): {@code vaadin} only on the engine {@code local}. */
    public static final List<String> ROUTES = List.of("message", "cluster", "vaadin");

    /** One route's clocks in µs; a clock that does not apply is {@code null}. */
    public record Row(String engine, String route, int writes, int pages, Route.Clock last, Route.Clock first,
                      Route.@Nullable Clock notifying, Route.@Nullable Clock confirmedOnWriter,
                      Route.@Nullable Clock confirmedOnPages) {
    }

    private CrossSignalTool() {
    }

    public static void main(String[] arguments) throws Exception {
        Args args = new Args(arguments);
        List<String> lines = new ArrayList<>();
        for (String engine : args.list("engines", "redis,postgres")) {
            List<Row> rows = run(engine, args.integer("writes", 1000), args.integer("pages", 1000),
                    args.integer("pause-ms", 2), Path.of(args.get("dir", "benchmarks/target")),
                    args.list("routes", String.join(",", ROUTES)));
            rows.forEach(row -> lines.add(line(row)));
            Row message = rows.get(0);
            if (!"message".equals(message.route())) {
                continue; // no ratios without the message (a profile of one route alone)
            }
            for (Row row : rows.subList(1, rows.size())) {
                lines.add(String.format(Locale.ROOT, "| %s | %s / message | | | %.2fx | %.2fx | %.2fx | %.2fx | | | |",
                        engine, row.route(), row.last().p50Us() / message.last().p50Us(),
                        row.last().p99Us() / message.last().p99Us(), row.first().p50Us() / message.first().p50Us(),
                        row.first().p99Us() / message.first().p99Us()));
            }
        }
        System.out.println();
        System.out.println("| engine | route | each | pages | last page p50 ms | p99 ms | first page p50 ms | p99 ms "
                + "| pages' tree starts notifying p50 / p99 ms | pages' tree confirmed | writer's tree confirmed |");
        System.out.println("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        lines.forEach(System.out::println);
        System.exit(0);
    }

    private static String line(Row r) {
        return String.format(Locale.ROOT, "| %s | %s | %d | %d | %.2f | %.2f | %.2f | %.2f | %s | %s | %s |",
                r.engine(), r.route(), r.writes(), r.pages(), r.last().p50Us() / 1e3, r.last().p99Us() / 1e3,
                r.first().p50Us() / 1e3, r.first().p99Us() / 1e3, pair(r.notifying()), pair(r.confirmedOnPages()),
                pair(r.confirmedOnWriter()));
    }

    private static String pair(Route.@Nullable Clock clock) {
        return clock == null ? "" : String.format(Locale.ROOT, "%.2f / %.2f", clock.p50Us() / 1e3, clock.p99Us() / 1e3);
    }

    /**
     * {@code writes} of each route on {@code engine} ({@code redis}, {@code postgres} or {@code local}), to
     * {@code pageCount} pages, the routes whose {@link #ROUTES keys} are in {@code keys}, in that order (the
     * message's row first).
     */
    public static List<Row> run(String engine, int writes, int pageCount, int pauseMillis, Path dir,
                                List<String> keys) throws Exception {
        boolean local = "local".equals(engine);
        try (EngineServer server = local ? null : EngineServer.start(engine, dir);
             VaadinPages pages = new VaadinPages(pageCount, 1);
             PubSubHub nodeA = hub("node-a", server);
             PubSubHub nodeB = local ? null : hub("node-b", server)) {
            PubSubHub onPages = nodeB == null ? nodeA : nodeB;
            SharedValueSignal<Msg> writerSide = nodeA.signals().value("bench.latest", Msg.class);
            SharedValueSignal<Msg> pagesSide = onPages.signals().value("bench.latest", Msg.class);
            List<Route> routes = new ArrayList<>();
            if (keys.contains("message")) {
                routes.add(Route.message("message", nodeA::sendAll));
            }
            if (keys.contains("cluster")) {
                routes.add(Route.signal(local ? "cluster signal, in memory" : "cluster signal", writerSide,
                        pagesSide, msg -> writerSide.set(msg)));
            }
            List<SharedValueSignal<Msg>> bound = new ArrayList<>(List.of(pagesSide));
            if (local && keys.contains("vaadin")) {
                SharedValueSignal<Msg> vaadins = new SharedValueSignal<>(Msg.class);
                routes.add(Route.signal("Vaadin's SharedValueSignal", vaadins, vaadins, msg -> vaadins.set(msg)));
                bound.add(vaadins);
            }
            for (Page page : pages.pages()) {
                page.ui.accessSynchronously(() -> {
                    onPages.pubSub(page.ui).subscribe(Msg.class, page::show);
                    bound.forEach(signal -> bind(page, signal));
                });
            }
            pages.probe.audience(pageCount);
            if (local) {
                VaadinService.setCurrent(pages.service); // a page's thread: Vaadin runs effects on its executor
            }
            try {
                // a run of hundreds warms up with at least 50 of each; a smoke run of a few dozen with a quarter
                measure(routes, pages, writes >= 100 ? Math.max(50, writes / 10) : writes / 4, writes, pauseMillis,
                        onPages);
            } finally {
                VaadinService.setCurrent(null);
            }
            if (pages.probe.anomalies() != 0 || pages.sessionErrors() != 0) {
                throw new IllegalStateException("unsound run: " + pages.probe + ", session errors "
                        + pages.sessionErrors());
            }
            List<Row> rows = new ArrayList<>();
            for (Route route : routes) {
                rows.add(new Row(engine, route.name, writes, pageCount, clock(route.last), clock(route.first),
                        Route.percentiles(route.notifying), Route.percentiles(route.confirmedOnWriter),
                        Route.percentiles(route.confirmedOnPages)));
            }
            return rows;
        }
    }

    private static Route.Clock clock(Histogram histogram) {
        Route.Clock clock = Route.percentiles(histogram);
        return clock == null ? new Route.Clock(Double.NaN, Double.NaN) : clock;
    }

    private static PubSubHub hub(String node, @Nullable EngineServer server) {
        var builder = PubSubHub.builder().nodeId(node).codec(JsonCodec.allowing(Msg.class));
        return server == null ? builder.build() : builder.transport(server.newTransport()).build();
    }

    /** Shows each write the page has not shown yet, as a view bound to the signal re-renders. */
    private static void bind(Page page, SharedValueSignal<Msg> signal) {
        long[] shown = {Long.MIN_VALUE};
        Signal.effect(page.line, () -> {
            Msg msg = signal.get();
            if (shown[0] == Long.MIN_VALUE) {
                shown[0] = msg == null ? -1 : msg.seq(); // the first run: only what is written after
            } else if (msg != null && msg.seq() > shown[0]) {
                shown[0] = msg.seq();
                page.show(msg);
            }
        });
    }

    private static void measure(List<Route> routes, VaadinPages pages, int warmup, int writes, int pauseMillis,
                                PubSubHub onPages) throws InterruptedException {
        int n = routes.size();
        for (int i = 0; i < n * (warmup + writes); i++) {
            Route route = routes.get(i % n);
            Msg msg = pages.probe.next(route.name);
            pages.probe.markSent(msg);
            route.send(msg);
            if (!pages.probe.tryAwaitCompleted(1, Duration.ofSeconds(10))) {
                throw new IllegalStateException("a " + route.name + " did not reach the pages within 10 s: "
                        + pages.probe + ", " + onPages.signalStats());
            }
            route.record(i >= n * warmup, pages.probe.sentAt(msg), pages.probe.firstNanos(msg),
                    pages.probe.fanOutNanos(msg));
            if (pauseMillis > 0) {
                Thread.sleep(pauseMillis);
            }
        }
    }
}
