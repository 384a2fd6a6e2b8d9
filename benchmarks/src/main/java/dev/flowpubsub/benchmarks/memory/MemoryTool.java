package dev.flowpubsub.benchmarks.memory;

import dev.flowpubsub.benchmarks.Args;
import dev.flowpubsub.benchmarks.contenders.Contender;
import dev.flowpubsub.benchmarks.contenders.Contenders;
import dev.flowpubsub.benchmarks.fixture.Page;
import dev.flowpubsub.benchmarks.fixture.VaadinPages;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;

/**
 * Heap the pub/sub layer holds per subscribed page: with N pages open, the live heap (after a full GC) with every
 * page subscribed through a contender, minus the live heap of the same pages before they subscribed; then again after
 * they unsubscribed, which must come back to the start (no leak). Live heap is the JVM's class histogram of live
 * objects (exact object sizes, taken after a full GC). The classes that grew most are listed, so the number can be
 * explained.
 *
 * <p>The contenders {@code span}, {@code bound-local} and {@code bound-cluster} ({@code BoundTextContender}) measure a
 * page with one more text, unbound, bound to a local shared signal, and bound to a cluster signal.
 *
 * <pre>
 * java -Xmx4g -jar benchmarks.jar memory --n 10000 --contenders broadcaster,signals,signal-value,pubsub
 * java -Xmx4g -jar benchmarks.jar memory --n 10000 --contenders span,bound-local,bound-cluster
 * </pre>
 */
public final class MemoryTool {

    /** One contender's result. */
    public record Result(String contender, int pages, double bytesPerPage, double leftAfterUnsubscribePerPage,
                         List<String> topClasses, List<String> leftClasses, double bytesPerOpenPage) {
    }

    private MemoryTool() {
    }

    public static void main(String[] arguments) throws Exception {
        Args args = new Args(arguments);
        int n = args.integer("n", 10_000);
        List<Result> results = run(n, args.integer("uis-per-session", 1), args.list("contenders", String.join(",", Contenders.ALL)));
        System.out.println();
        if (!results.isEmpty()) {
            System.out.printf("An open page before any contender (UI, session, span; the mock app's one-time objects "
                    + "spread over the pages): %,.0f bytes%n", results.get(0).bytesPerOpenPage());
        }
        System.out.println("| contender | pages | bytes per subscribed page | left after unsubscribing, per page |");
        System.out.println("|---|---:|---:|---:|");
        for (Result r : results) {
            System.out.printf("| %s | %,d | %,.0f | %,.1f |%n", r.contender(), r.pages(), r.bytesPerPage(),
                    r.leftAfterUnsubscribePerPage());
        }
        for (Result r : results) {
            System.out.println();
            System.out.println(r.contender() + ": what grew per subscribed page (bytes per page, instances per page, class)");
            r.topClasses().forEach(line -> System.out.println("  " + line));
            System.out.println(r.contender() + ": what was still there after unsubscribing, per page");
            r.leftClasses().forEach(line -> System.out.println("  " + line));
        }
        System.exit(0); // the docs' Broadcaster keeps a non-daemon executor thread
    }

    public static List<Result> run(int n, int uisPerSession, List<String> contenders) {
        List<Result> results = new ArrayList<>();
        long beforePages = Histogram.take().bytes;
        try (VaadinPages pages = new VaadinPages(n, uisPerSession)) {
            double openPage = (Histogram.take().bytes - beforePages) / (double) n;
            // load classes and fill one-time caches of every contender before anything is measured
            for (String name : contenders) {
                try (Contender warm = Contenders.create(name, pages)) {
                    List<Page> few = pages.pages().subList(0, Math.min(200, n));
                    few.forEach(warm::subscribe);
                    few.forEach(warm::unsubscribe);
                }
            }
            for (String name : contenders) {
                try (Contender contender = Contenders.create(name, pages)) {
                    // exactly one earlier histogram is alive during each one taken, so our own bookkeeping cancels out
                    @SuppressWarnings("UnusedVariable") // held, so that it is alive while the next is taken
                    Histogram pad = Histogram.take();
                    Histogram before = Histogram.take();
                    pad = null;
                    pages.pages().forEach(contender::subscribe);
                    Histogram subscribed = Histogram.take();
                    long beforeBytes = before.bytes;
                    List<String> grew = subscribed.grewFrom(before, n, 12);
                    Histogram baseline = before.compact();
                    before = null;
                    pages.pages().forEach(contender::unsubscribe);
                    Histogram after = Histogram.take();
                    results.add(new Result(name, n, (subscribed.bytes - beforeBytes) / (double) n,
                            (after.bytes - beforeBytes) / (double) n, grew, after.grewFrom(baseline, n, 6), openPage));
                }
            }
        }
        return results;
    }

    /** The live objects by class, as {@code jcmd GC.class_histogram} shows them (it runs a full GC first). */
    private record Histogram(long bytes, Map<String, long[]> byClass) {

        static Histogram take() {
            String text;
            try {
                text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                        new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                        new Object[]{new String[0]}, new String[]{String[].class.getName()});
            } catch (Exception e) {
                throw new IllegalStateException("the JVM's class histogram is not available", e);
            }
            Map<String, long[]> byClass = new HashMap<>();
            long total = 0;
            for (String line : text.split("\n", -1)) {
                String[] cols = line.trim().split("\\s+", -1);
                if (cols.length >= 4 && cols[0].endsWith(":")) {
                    long instances = Long.parseLong(cols[1]);
                    long bytes = Long.parseLong(cols[2]);
                    byClass.merge(cols[3], new long[]{instances, bytes}, (a, b) -> new long[]{a[0] + b[0], a[1] + b[1]});
                    total += bytes;
                }
            }
            return new Histogram(total, byClass);
        }

        /** The classes of this histogram that may matter (those with at least 100 instances), to keep while measuring. */
        Histogram compact() {
            Map<String, long[]> kept = new HashMap<>();
            byClass.forEach((name, counts) -> {
                if (counts[0] >= 100) {
                    kept.put(name, counts);
                }
            });
            return new Histogram(bytes, kept);
        }

        List<String> grewFrom(Histogram before, int pages, int limit) {
            List<String> lines = new ArrayList<>();
            byClass.entrySet().stream()
                    .map(e -> {
                        long[] was = before.byClass.getOrDefault(e.getKey(), new long[2]);
                        return Map.entry(e.getKey(), new long[]{e.getValue()[0] - was[0], e.getValue()[1] - was[1]});
                    })
                    .filter(e -> e.getValue()[1] > 0)
                    .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                    .limit(limit)
                    .forEach(e -> lines.add(String.format("%8.1f B %6.2f  %s", e.getValue()[1] / (double) pages,
                            e.getValue()[0] / (double) pages, e.getKey())));
            return lines;
        }
    }
}
