package dev.flowpubsub.benchmarks.crossnode;

import dev.flowpubsub.JsonCodec;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.benchmarks.Args;
import dev.flowpubsub.benchmarks.fixture.EngineServer;
import dev.flowpubsub.benchmarks.fixture.Msg;
import dev.flowpubsub.benchmarks.fixture.Page;
import dev.flowpubsub.benchmarks.fixture.VaadinPages;
import dev.flowpubsub.redis.RedisTransport;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.RedisServer;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What crossing nodes adds to a delivery: two hubs (nodes A and B) on one real redis-server or PostgreSQL, pages on
 * node B only. Messages sent on A reach B's pages through the engine; messages sent on B are delivered by B itself, locally. Sends
 * alternate between A and B, one message at a time (each handled before the next is sent, after a short pause,
 * as sporadic chat messages are), and each send-to-handler time goes into that path's histogram.
 *
 * <pre>java -jar benchmarks.jar crossnode --messages 2000 --pages 1 --engines redis,postgres</pre>
 *
 * <p>{@code --jitter-ms N} adds a random 0 to N ms to each pause: with a node that polls (PostgreSQL behind a
 * transaction pooler, {@code --engines postgres-pgbouncer}), a send right after the last delivery would otherwise
 * always fall just after a poll and wait the whole interval; with a jitter of one interval, sends fall anywhere in it,
 * as users' messages do.
 */
public final class CrossNodeTool {

    /** Latency of both paths, in microseconds. */
    public record Result(int messages, int pages, double localP50Us, double localP99Us, double remoteP50Us,
                         double remoteP99Us, double remoteMaxUs) {
    }

    private CrossNodeTool() {
    }

    public static void main(String[] arguments) throws Exception {
        Args args = new Args(arguments);
        List<String> engines = args.list("engines", "redis,postgres");
        List<String> rows = new ArrayList<>();
        for (String engine : engines) {
            Result r = run(engine, args.integer("messages", 2000), args.integer("pages", 1), args.integer("pause-ms", 2),
                    args.integer("jitter-ms", 0), Boolean.parseBoolean(args.get("fsync-always", "false")),
                    Path.of(args.get("dir", "benchmarks/target")));
            rows.add(String.format(Locale.ROOT, "| %s | send on B -> handler on B (local) | %d | %d | %.0f | %.0f |",
                    engine, r.messages(), r.pages(), r.localP50Us(), r.localP99Us()));
            rows.add(String.format(Locale.ROOT, "| %s | send on A -> %s -> handler on B | %d | %d | %.0f | %.0f |",
                    engine, engine, r.messages(), r.pages(), r.remoteP50Us(), r.remoteP99Us()));
            rows.add(String.format(Locale.ROOT, "| %s | added by crossing nodes | | | +%.0f | +%.0f |", engine,
                    r.remoteP50Us() - r.localP50Us(), r.remoteP99Us() - r.localP99Us()));
        }
        System.out.println();
        System.out.println("| engine | path | messages | pages on B | p50 µs | p99 µs |");
        System.out.println("|---|---|---:|---:|---:|---:|");
        rows.forEach(System.out::println);
        System.exit(0);
    }

    /** On Redis, as the first releases measured. */
    public static Result run(int messages, int pageCount, int pauseMillis, boolean fsyncAlways, Path dir) throws Exception {
        return run("redis", messages, pageCount, pauseMillis, 0, fsyncAlways, dir);
    }

    /**
     * On {@code engine}: {@code redis}, {@code postgres} or {@code postgres-pgbouncer} ({@code fsyncAlways} is for
     * Redis only); each pause {@code pauseMillis} plus a random 0 to {@code jitterMillis}.
     */
    public static Result run(String engine, int messages, int pageCount, int pauseMillis, int jitterMillis,
                             boolean fsyncAlways, Path dir) throws Exception {
        Histogram local = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
        Histogram remote = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
        try (AutoCloseable server = engine.equals("redis") && fsyncAlways
                     ? new RedisOnDisk(RedisServer.startIn(dir, RedisServer.Persistence.FSYNC_ALWAYS))
                     : EngineServer.start(engine, dir);
             VaadinPages pages = new VaadinPages(pageCount, 1);
             PubSubHub nodeA = PubSubHub.builder().nodeId("node-a").transport(transport(server))
                     .codec(JsonCodec.allowing(Msg.class)).build();
             PubSubHub nodeB = PubSubHub.builder().nodeId("node-b").transport(transport(server))
                     .codec(JsonCodec.allowing(Msg.class)).build()) {
            for (Page page : pages.pages()) {
                page.ui.accessSynchronously(() -> nodeB.pubSub(page.ui).subscribe(Msg.class, page::show));
            }
            pages.probe.audience(pageCount);
            int warmup = Math.max(50, messages / 10);
            java.util.Random random = new java.util.Random(1);
            for (int i = 0; i < warmup + messages; i++) {
                boolean fromA = i % 2 == 0;
                Msg msg = pages.probe.next("hello from " + (fromA ? "A" : "B"));
                pages.probe.markSent(msg);
                (fromA ? nodeA : nodeB).sendAll(msg);
                if (!pages.probe.tryAwaitCompleted(1, Duration.ofSeconds(10))) {
                    throw new IllegalStateException("a message sent on " + (fromA ? "A" : "B")
                            + " did not reach node B's pages within 10 s: " + pages.probe + ", A " + nodeA.stats()
                            + ", B " + nodeB.stats());
                }
                if (i >= warmup) {
                    (fromA ? remote : local).recordValue(pages.probe.fanOutNanos(msg));
                }
                int pause = pauseMillis + (jitterMillis > 0 ? random.nextInt(jitterMillis + 1) : 0);
                if (pause > 0) {
                    Thread.sleep(pause);
                }
            }
            if (pages.probe.anomalies() != 0 || pages.probe.unlockedDeliveries() != 0) {
                throw new IllegalStateException("unsound run: " + pages.probe);
            }
        }
        return new Result(messages / 2, pageCount, local.getValueAtPercentile(50) / 1e3, local.getValueAtPercentile(99) / 1e3,
                remote.getValueAtPercentile(50) / 1e3, remote.getValueAtPercentile(99) / 1e3, remote.getMaxValue() / 1e3);
    }

    /** A Redis that writes every append to disk before answering. */
    private record RedisOnDisk(RedisServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }

    private static Transport transport(AutoCloseable server) {
        return server instanceof RedisOnDisk(RedisServer redis) ? RedisTransport.create(redis.uri())
                : ((EngineServer) server).newTransport();
    }
}
