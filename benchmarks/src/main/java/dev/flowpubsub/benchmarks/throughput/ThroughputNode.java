package dev.flowpubsub.benchmarks.throughput;

import dev.flowpubsub.JsonCodec;
import dev.flowpubsub.LatencyListener;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.benchmarks.Args;
import dev.flowpubsub.benchmarks.fixture.EngineServer;
import dev.flowpubsub.benchmarks.fixture.Msg;
import org.HdrHistogram.Recorder;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One node of a {@link ThroughputTool} run, in a process of its own: a hub on the shared Redis stream, with no pages,
 * sending its share of each step's rate while it counts what the other nodes' messages it receives and how late
 * its reader hands them over ({@link LatencyListener#received}). Every node runs the same schedule of steps from a
 * start time the tool gives; after each step and a drain it prints one {@code STEP} line the tool reads.
 */
public final class ThroughputNode {

    private ThroughputNode() {
    }

    public static void main(String[] arguments) throws Exception {
        Args args = new Args(arguments);
        int node = args.integer("node", 0);
        int nodes = args.integer("nodes", 2);
        List<Integer> rates = args.list("rates", "1000").stream().map(Integer::parseInt).toList();
        long stepMillis = args.integer("step-millis", 5000);
        long drainMillis = args.integer("drain-millis", 3000);
        long start = Long.parseLong(args.get("start", "0"));
        String startFile = args.get("start-file", "");
        Recorder lag = new Recorder(TimeUnit.MINUTES.toNanos(5), 3);
        try (PubSubHub hub = PubSubHub.builder().nodeId("node-" + node).transport(EngineServer.transportFor(args.get("redis", ""), args.get("postgres", "")))
                .codec(JsonCodec.allowing(Msg.class)).inboxCapacity(1_000_000).build()) {
            var unused = hub.addLatencyListener(new LatencyListener() {
                @Override
                public void delivered(long nanos, boolean fromOtherNode) {
                }

                @Override
                public void received(long nanos) {
                    lag.recordValue(Math.min(nanos, TimeUnit.MINUTES.toNanos(5)));
                }
            });
            // ready once the transport reaches the engine; the tool then picks the start time every node keeps
            long upBy = System.currentTimeMillis() + 60_000;
            while (!hub.transportHealth().map(health -> health.up()).orElse(true) && System.currentTimeMillis() < upBy) {
                Thread.sleep(20);
            }
            System.out.println("READY node " + node);
            System.out.flush();
            if (!startFile.isEmpty()) {
                start = awaitStart(Path.of(startFile));
            }
            long seq = 0;
            long totalSent = 0;
            for (int step = 0; step < rates.size(); step++) {
                long stepStart = start + step * (stepMillis + drainMillis);
                sleepUntil(stepStart);
                lag.reset();
                long receivedBefore = hub.stats().remoteReceived();
                long missedBefore = hub.stats().remoteMissed();
                long cpuBefore = cpuNanos();
                double perNode = rates.get(step) / (double) nodes;
                long intervalNanos = (long) (1e9 / perNode);
                long begin = System.nanoTime();
                long sent = 0;
                long end = begin + TimeUnit.MILLISECONDS.toNanos(stepMillis);
                while (true) {
                    long due = begin + sent * intervalNanos;
                    if (due >= end) {
                        break;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 50_000) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    hub.sendAll(new Msg(seq++, "from node " + node));
                    sent++;
                }
                sleepUntil(stepStart + stepMillis + drainMillis - 200);
                var histogram = lag.getIntervalHistogram();
                System.out.printf(Locale.ROOT, "STEP %d rate %d node %d sent %d received %d lagP50Us %.0f lagP99Us %.0f "
                                + "cpuMs %d dropped %s missed %d%n", step, rates.get(step), node, sent,
                        hub.stats().remoteReceived() - receivedBefore, histogram.getValueAtPercentile(50) / 1e3,
                        histogram.getValueAtPercentile(99) / 1e3, (cpuNanos() - cpuBefore) / 1_000_000,
                        hub.transportHealth().map(h -> h.details().get("droppedWhileDown")).orElse("?"),
                        hub.stats().remoteMissed() - missedBefore);
                System.out.flush();
                totalSent += sent;
            }
            // what came after its step's drain still counts here: nothing may be lost over the whole run
            sleepUntil(start + rates.size() * (stepMillis + drainMillis) + drainMillis);
            System.out.printf(Locale.ROOT, "TOTAL node %d sent %d received %d missed %d%n", node, totalSent,
                    hub.stats().remoteReceived(), hub.stats().remoteMissed());
            System.out.flush();
        }
        System.exit(0);
    }

    /** The start time (epoch millis) the tool writes into {@code file} once every node is ready. */
    private static long awaitStart(Path file) throws Exception {
        long deadline = System.currentTimeMillis() + 300_000;
        while (System.currentTimeMillis() < deadline) {
            if (Files.exists(file)) {
                return Long.parseLong(Files.readString(file).strip());
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("no start time in " + file + " after 5 minutes");
    }

    /** Sleeps until the wall clock reads {@code epochMillis}: nodes and the tool keep one schedule this way. */
    static void sleepUntil(long epochMillis) throws InterruptedException {
        long wait = epochMillis - System.currentTimeMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }
}
