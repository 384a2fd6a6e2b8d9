package dev.flowpubsub.benchmarks.signalwrites;

import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubSignalRefusedException;
import dev.flowpubsub.SignalStats;
import dev.flowpubsub.benchmarks.Args;
import dev.flowpubsub.benchmarks.fixture.EngineServer;
import org.HdrHistogram.ConcurrentHistogram;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * How many shared signal writes per second one engine confirms: two hubs (nodes A and B) in one JVM on one real
 * redis-server or PostgreSQL, each with a few writer threads writing value signals of their own (every node holds
 * every name, so every node applies every write), at a rate offered in steps. A write is timed from the call to its
 * result on the writer's node (its confirm: the write appended, read back and applied). Each step offers its rate for
 * a few seconds, then waits for what is outstanding; the rate confirmed is what was confirmed over the time from the
 * step's start to its last confirm. A step holds when every write of it was confirmed within the step
 * and its drain, none was refused, the other node applied them all, and the confirm p99 stayed under 250 ms. No pages
 * are bound: this is the log's and the nodes' replicas' rate, not a fan-out.
 *
 * <pre>java -jar benchmarks.jar signalwrites --engines redis,postgres --rates 500,1000,2000,5000,10000</pre>
 */
public final class SignalWritesTool {

    /** One step: what was offered, issued, confirmed, refused, the confirm latency, and the CPU each part used. */
    public record Step(String engine, int rate, boolean warmup, long issued, long confirmed, long refusedAtCall,
                       long refusedLater, String refusedBy, long appliedByOther, double confirmP50Ms,
                       double confirmP99Ms, double confirmedPerSecond, double jvmCpuMsPerSecond,
                       double engineCpuMsPerSecond) {

        /** Every write confirmed in time and applied on the other node, none refused, confirm p99 under 250 ms. */
        public boolean held() {
            return confirmed == issued && refusedAtCall == 0 && refusedLater == 0 && appliedByOther >= issued
                    && confirmP99Ms < 250;
        }
    }

    private static final int WRITERS_PER_NODE = 2;

    private SignalWritesTool() {
    }

    public static void main(String[] arguments) throws Exception {
        Args args = new Args(arguments);
        List<Integer> rates = new ArrayList<>(List.of(args.integer("warmup-rate", 500)));
        args.list("rates", "500,1000,2000,5000,10000,20000").forEach(rate -> rates.add(Integer.parseInt(rate)));
        List<Step> all = new ArrayList<>();
        for (String engine : args.list("engines", "redis,postgres")) {
            all.addAll(run(engine, rates, args.integer("step-millis", 5000), args.integer("drain-millis", 3000),
                    Path.of(args.get("dir", "benchmarks/target"))));
        }
        System.out.println();
        System.out.println("| engine | writes/s offered | issued | confirmed in time | refused at the call / later "
                + "(reasons) | confirmed writes/s | confirm p50 ms | confirm p99 ms | held | JVM CPU ms/s (both nodes) "
                + "| engine CPU ms/s |");
        System.out.println("|---|---:|---:|---:|---|---:|---:|---:|---|---:|---:|");
        for (Step s : all) {
            System.out.printf(Locale.ROOT, "| %s | %,d%s | %,d | %,d | %,d / %,d%s | %,.0f | %.1f | %.1f | %s | %.0f "
                            + "| %.0f |%n", s.engine(), s.rate(), s.warmup() ? " (warm-up)" : "", s.issued(),
                    s.confirmed(), s.refusedAtCall(), s.refusedLater(),
                    s.refusedBy().isEmpty() ? "" : " (" + s.refusedBy() + ")", s.confirmedPerSecond(),
                    s.confirmP50Ms(), s.confirmP99Ms(), s.warmup() ? "" : s.held() ? "yes" : "no",
                    s.jvmCpuMsPerSecond(), s.engineCpuMsPerSecond());
        }
        System.exit(0);
    }

    /** The steps of {@code rates} (total writes per second; the first is a warm-up) on {@code engine}. */
    public static List<Step> run(String engine, List<Integer> rates, int stepMillis, int drainMillis, Path dir)
            throws Exception {
        List<Step> steps = new ArrayList<>();
        try (EngineServer server = EngineServer.start(engine, dir);
             PubSubHub nodeA = PubSubHub.builder().nodeId("node-a").transport(server.newTransport()).build();
             PubSubHub nodeB = PubSubHub.builder().nodeId("node-b").transport(server.newTransport()).build()) {
            List<PubSubHub> nodes = List.of(nodeA, nodeB);
            int writers = nodes.size() * WRITERS_PER_NODE;
            List<List<SharedValueSignal<String>>> held = new ArrayList<>(); // per node, every name: all applied
            for (PubSubHub node : nodes) {
                List<SharedValueSignal<String>> names = new ArrayList<>();
                for (int w = 0; w < writers; w++) {
                    names.add(node.signals().value("bench.writes." + w, String.class));
                }
                held.add(names);
            }
            for (int step = 0; step < rates.size(); step++) {
                steps.add(step(engine, rates.get(step), step == 0, held, stepMillis, drainMillis, server, nodes));
            }
        }
        return steps;
    }

    private static Step step(String engine, int rate, boolean warmup, List<List<SharedValueSignal<String>>> held,
                             int stepMillis, int drainMillis, EngineServer server, List<PubSubHub> nodes)
            throws Exception {
        PubSubHub other = nodes.get(1);
        Map<String, Long> refusedBefore = refusals(nodes);
        ConcurrentHistogram latency = new ConcurrentHistogram(TimeUnit.SECONDS.toNanos(60), 3);
        LongAdder issued = new LongAdder();
        LongAdder confirmed = new LongAdder();
        LongAdder refusedAtCall = new LongAdder();
        LongAdder refusedLater = new LongAdder();
        AtomicLong lastConfirm = new AtomicLong();
        long appliedBefore = other.signalStats().map(SignalStats::applied).orElse(0L);
        double engineCpuBefore = server.cpuSeconds();
        long jvmCpuBefore = processCpuNanos();
        int writers = held.get(0).size();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50);
        long end = start + TimeUnit.MILLISECONDS.toNanos(stepMillis);
        long interval = (long) (1e9 * writers / rate); // each writer's share of the rate
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            SharedValueSignal<String> signal = held.get(w / WRITERS_PER_NODE).get(w); // a name of its own, on its node
            long offset = interval * w / writers; // spread the writers' ticks
            threads.add(Thread.ofPlatform().name("writer-" + w).start(() -> {
                long sent = 0;
                for (long now = System.nanoTime(); now - end < 0; now = System.nanoTime()) {
                    long due = now - start - offset < 0 ? 0 : (now - start - offset) / interval + 1;
                    for (; sent < due; sent++) {
                        long called = System.nanoTime();
                        issued.increment();
                        try {
                            count(signal.set("w" + sent), called, latency, confirmed, refusedLater, lastConfirm);
                        } catch (PubSubSignalRefusedException refused) {
                            refusedAtCall.increment();
                        }
                    }
                    LockSupport.parkNanos(Math.min(interval, TimeUnit.MILLISECONDS.toNanos(1)));
                }
            }));
        }
        for (Thread thread : threads) {
            thread.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9; // a writer's last call may end after the step
        double engineCpu = server.cpuSeconds() - engineCpuBefore;
        double jvmCpu = (processCpuNanos() - jvmCpuBefore) / 1e9;
        long drainEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(drainMillis);
        while (System.nanoTime() - drainEnd < 0
                && confirmed.sum() + refusedLater.sum() + refusedAtCall.sum() < issued.sum()) {
            Thread.sleep(10);
        }
        // node B applies every write of the step, its own writers' and node A's: it holds every name
        long appliedByOther = other.signalStats().map(SignalStats::applied).orElse(0L) - appliedBefore;
        // the rate confirmed: from the step's start to its last confirm (in the drain, when confirms fell behind)
        double seconds = Math.max(stepMillis / 1000.0, (lastConfirm.get() - start) / 1e9);
        StringBuilder reasons = new StringBuilder();
        refusals(nodes).forEach((reason, count) -> {
            long more = count - refusedBefore.getOrDefault(reason, 0L);
            if (more > 0) {
                reasons.append(reasons.isEmpty() ? "" : ", ").append(reason).append(' ').append(more);
            }
        });
        return new Step(engine, rate, warmup, issued.sum(), confirmed.sum(), refusedAtCall.sum(), refusedLater.sum(),
                reasons.toString(), appliedByOther, latency.getValueAtPercentile(50) / 1e6,
                latency.getValueAtPercentile(99) / 1e6, confirmed.sum() / seconds, jvmCpu * 1000 / elapsed,
                engineCpu * 1000 / elapsed);
    }

    /** Both nodes' refusals so far, by reason. */
    private static Map<String, Long> refusals(List<PubSubHub> nodes) {
        Map<String, Long> all = new TreeMap<>();
        for (PubSubHub node : nodes) {
            node.signalStats().ifPresent(stats -> stats.refused().forEach((reason, n) -> all.merge(reason, n, Long::sum)));
        }
        return all;
    }

    /** Counts a write's outcome when it comes (on the node's signal thread: kept short). */
    @SuppressWarnings("FutureReturnValueIgnored") // the callback is the whole use of the result; it counts failures
    private static void count(SignalOperation<?> write, long called, ConcurrentHistogram latency, LongAdder confirmed,
                              LongAdder refused, AtomicLong lastConfirm) {
        write.result().whenComplete((result, failure) -> {
            if (failure == null && result instanceof SignalOperation.Result<?>) {
                long now = System.nanoTime();
                latency.recordValue(now - called);
                confirmed.increment();
                lastConfirm.accumulateAndGet(now, Math::max);
            } else {
                refused.increment();
            }
        });
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
