package dev.flowpubsub.benchmarks.crosssignal;

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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A shared signal written on node A until every page on node B shows it, beside a message sent on A to the same
 * pages, in the same run: two hubs on one real redis-server or PostgreSQL, pages on node B only, each bound to one
 * cluster value signal by an effect (as {@code bindText} is) and subscribed to messages. Writes and messages
 * alternate, one at a time (each shown by every page before the next, after a short pause); each is timed from the
 * call on A to the last page's effect or handler on B.
 *
 * <pre>java -jar benchmarks.jar crosssignal --writes 1000 --pages 1000 --engines redis,postgres</pre>
 */
public final class CrossSignalTool {

    /** Latency of both paths to the last page, in microseconds. */
    public record Result(String engine, int writes, int pages, double messageP50Us, double messageP99Us,
                         double signalP50Us, double signalP99Us) {
    }

    private CrossSignalTool() {
    }

    public static void main(String[] arguments) throws Exception {
        Args args = new Args(arguments);
        List<String> rows = new ArrayList<>();
        for (String engine : args.list("engines", "redis,postgres")) {
            Result r = run(engine, args.integer("writes", 1000), args.integer("pages", 1000),
                    args.integer("pause-ms", 2), Path.of(args.get("dir", "benchmarks/target")));
            rows.add(String.format(Locale.ROOT, "| %s | %d | %d | message | %.0f | %.0f |", engine, r.writes(),
                    r.pages(), r.messageP50Us(), r.messageP99Us()));
            rows.add(String.format(Locale.ROOT, "| %s | %d | %d | shared signal | %.0f | %.0f |", engine, r.writes(),
                    r.pages(), r.signalP50Us(), r.signalP99Us()));
            rows.add(String.format(Locale.ROOT, "| %s | | | signal / message | %.2fx | %.2fx |", engine,
                    r.signalP50Us() / r.messageP50Us(), r.signalP99Us() / r.messageP99Us()));
        }
        System.out.println();
        System.out.println("| engine | each | pages on B | what A sends | p50 µs | p99 µs |");
        System.out.println("|---|---:|---:|---|---:|---:|");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    /** {@code writes} signal writes and as many messages on {@code engine}, to {@code pageCount} pages on B. */
    public static Result run(String engine, int writes, int pageCount, int pauseMillis, Path dir) throws Exception {
        Histogram messages = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
        Histogram signals = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
        try (EngineServer server = EngineServer.start(engine, dir);
             VaadinPages pages = new VaadinPages(pageCount, 1);
             PubSubHub nodeA = PubSubHub.builder().nodeId("node-a").transport(server.newTransport())
                     .codec(JsonCodec.allowing(Msg.class)).build();
             PubSubHub nodeB = PubSubHub.builder().nodeId("node-b").transport(server.newTransport())
                     .codec(JsonCodec.allowing(Msg.class)).build()) {
            SharedValueSignal<Msg> onA = nodeA.signals().value("bench.latest", Msg.class);
            SharedValueSignal<Msg> onB = nodeB.signals().value("bench.latest", Msg.class);
            for (Page page : pages.pages()) {
                page.ui.accessSynchronously(() -> {
                    nodeB.pubSub(page.ui).subscribe(Msg.class, page::show);
                    long[] shown = {Long.MIN_VALUE};
                    page.registration = Signal.effect(page.line, () -> {
                        Msg msg = onB.get();
                        if (shown[0] == Long.MIN_VALUE) {
                            shown[0] = msg == null ? -1 : msg.seq(); // the first run: only what is written after
                        } else if (msg != null && msg.seq() > shown[0]) {
                            shown[0] = msg.seq();
                            page.show(msg);
                        }
                    });
                });
            }
            pages.probe.audience(pageCount);
            int warmup = Math.max(50, writes / 10);
            for (int i = 0; i < 2 * (warmup + writes); i++) {
                boolean signal = i % 2 == 1;
                Msg msg = pages.probe.next(signal ? "written on A" : "sent on A");
                pages.probe.markSent(msg);
                if (signal) {
                    onA.set(msg);
                } else {
                    nodeA.sendAll(msg);
                }
                if (!pages.probe.tryAwaitCompleted(1, Duration.ofSeconds(10))) {
                    throw new IllegalStateException("a " + (signal ? "signal write" : "message") + " on A did not "
                            + "reach node B's pages within 10 s: " + pages.probe + ", B " + nodeB.signalStats());
                }
                if (i >= 2 * warmup) {
                    (signal ? signals : messages).recordValue(pages.probe.fanOutNanos(msg));
                }
                if (pauseMillis > 0) {
                    Thread.sleep(pauseMillis);
                }
            }
            if (pages.probe.anomalies() != 0 || pages.sessionErrors() != 0) {
                throw new IllegalStateException("unsound run: " + pages.probe + ", session errors "
                        + pages.sessionErrors());
            }
        }
        return new Result(engine, writes, pageCount, messages.getValueAtPercentile(50) / 1e3,
                messages.getValueAtPercentile(99) / 1e3, signals.getValueAtPercentile(50) / 1e3,
                signals.getValueAtPercentile(99) / 1e3);
    }
}
