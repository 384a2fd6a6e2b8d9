package dev.flowpubsub.benchmarks.throughput;

import dev.flowpubsub.benchmarks.Args;
import dev.flowpubsub.benchmarks.fixture.EngineServer;
import dev.flowpubsub.testsupport.ServerProcess;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The highest message rate one Redis stream carries between 2 to 4 nodes, each a JVM process of its own
 * ({@link ThroughputNode}) on one real redis-server: every node sends its share of a step's rate for a few seconds
 * and counts the other nodes' messages it receives. The first step warms the JVMs up. A step holds when every node
 * received every message the others sent within the step and its drain, none was dropped or missed, and the readers' lag (a message's age when a node's reader hands it over) stayed under
 * 250 ms at p99. Also reports the CPU each part used, so what limits the rate shows.
 *
 * <pre>java -jar benchmarks.jar throughput --nodes 2,3,4 --rates 2000,5000,10000,20000,40000</pre>
 */
public final class ThroughputTool {

    private static final Pattern STEP = Pattern.compile("STEP (\\d+) rate (\\d+) node (\\d+) sent (\\d+) received (\\d+) "
            + "lagP50Us (\\d+) lagP99Us (\\d+) cpuMs (\\d+) dropped (\\S+) missed (\\d+)");
    private static final Pattern TOTAL = Pattern.compile("TOTAL node (\\d+) sent (\\d+) received (\\d+) missed (\\d+)");

    private ThroughputTool() {
    }

    /** What one node measured in one step. */
    record NodeStep(int step, int rate, int node, long sent, long received, long lagP50Us, long lagP99Us, long cpuMs,
                    String dropped, long missed) {
    }

    /** The run's table, one line per node count saying whether anything was lost, and whether nothing was. */
    public record Report(String table, String footer, boolean nothingLost) {
    }

    public static void main(String[] arguments) throws Exception {
        Args args = new Args(arguments);
        List<Integer> nodeCounts = args.list("nodes", "2,3,4").stream().map(Integer::parseInt).toList();
        // the first step warms the JVMs up (JIT, pools) and is reported as such, not judged
        List<String> rates = new ArrayList<>(List.of(args.get("warmup-rate", "2000")));
        rates.addAll(args.list("rates", "2000,5000,10000,20000,40000"));
        // --node-java-options "-XX:StartFlightRecording=filename=node.jfr,settings=profile" (one option per space)
        String options = args.get("node-java-options", "").strip();
        for (String engine : args.list("engines", "redis")) {
            Report report = run(engine, nodeCounts, rates, args.integer("step-millis", 5000),
                    args.integer("drain-millis", 3000), Path.of(args.get("dir", "benchmarks/target/throughput")),
                    options.isEmpty() ? List.of() : List.of(options.split("\\s+", -1)));
            System.out.println();
            System.out.println("On " + engine + ":");
            System.out.println(report.table());
            System.out.println(report.footer());
        }
        System.exit(0);
    }

    /**
     * Runs each node count on a Redis server of its own, the first rate as warm-up.
     *
     * @param rates messages per second over all nodes, one step each
     */
    public static Report run(List<Integer> nodeCounts, List<String> rates, int stepMillis, int drainMillis, Path directory,
                             List<String> nodeJavaOptions) throws Exception {
        return run("redis", nodeCounts, rates, stepMillis, drainMillis, directory, nodeJavaOptions);
    }

    /** Like the other {@code run}, on {@code engine}: {@code redis} or {@code postgres}, a server per node count. */
    public static Report run(String engine, List<Integer> nodeCounts, List<String> rates, int stepMillis,
                             int drainMillis, Path directory, List<String> nodeJavaOptions) throws Exception {
        Path dir = directory.toAbsolutePath();
        Files.createDirectories(dir);
        // the jar, or the build's classes in a test; absolute, since the nodes run in the tool's directory
        String classPath = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator, -1))
                .map(entry -> Path.of(entry).toAbsolutePath().toString())
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        boolean nothingLost = true;
        StringBuilder table = new StringBuilder("""
                | nodes | rate/s offered | sent | received by every node (of expected) | held | reader lag p50 ms | reader lag p99 ms (worst node) | nodes' CPU ms per second (sum) | engine CPU ms per second |
                |---:|---:|---:|---|---|---:|---:|---:|---:|
                """);
        StringBuilder footer = new StringBuilder();
        for (int nodes : nodeCounts) {
            try (EngineServer server = EngineServer.start(engine, dir)) {
                Path startFile = dir.resolve("start-" + nodes);
                Files.deleteIfExists(startFile);
                List<ServerProcess> processes = new ArrayList<>();
                for (int node = 0; node < nodes; node++) {
                    List<String> command = new ArrayList<>(List.of(ServerProcess.java(), "-Xmx1g", "-XX:+UseG1GC"));
                    command.addAll(nodeJavaOptions);
                    command.addAll(List.of("-cp", classPath, ThroughputNode.class.getName()));
                    command.addAll(server.nodeArguments());
                    command.addAll(List.of("--node",
                            Integer.toString(node), "--nodes", Integer.toString(nodes), "--rates", String.join(",", rates),
                            "--step-millis", Integer.toString(stepMillis), "--drain-millis", Integer.toString(drainMillis),
                            "--start-file", startFile.toString()));
                    processes.add(ServerProcess.start("node " + node, command, dir,
                            dir.resolve("node-" + nodes + "-" + node + ".log")));
                }
                // every node on the engine (its JVM started, its hub built): then one start time for all, a moment on
                awaitEveryLog(dir, nodes, "READY node ", processes, Duration.ofSeconds(90));
                long start = System.currentTimeMillis() + 1_000;
                Path written = dir.resolve("start-" + nodes + ".tmp");
                Files.writeString(written, Long.toString(start));
                Files.move(written, startFile, StandardCopyOption.ATOMIC_MOVE);
                List<Double> redisCpuMsPerSecond = new ArrayList<>();
                for (int step = 0; step < rates.size(); step++) {
                    long stepStart = start + (long) step * (stepMillis + drainMillis);
                    ThroughputNode.sleepUntil(stepStart);
                    double before = server.cpuSeconds();
                    ThroughputNode.sleepUntil(stepStart + stepMillis);
                    redisCpuMsPerSecond.add((server.cpuSeconds() - before) * 1000 / (stepMillis / 1000.0));
                }
                // each node prints its TOTAL after the last drain
                ThroughputNode.sleepUntil(start + (long) rates.size() * (stepMillis + drainMillis) + drainMillis);
                awaitEveryLog(dir, nodes, "TOTAL node ", processes, Duration.ofSeconds(30));
                List<NodeStep> results = new ArrayList<>();
                long runSent = 0;
                boolean everyMessageEverywhere = true;
                List<long[]> totals = new ArrayList<>(); // {sent, received, missed} per node
                for (int node = 0; node < nodes; node++) {
                    Path log = dir.resolve("node-" + nodes + "-" + node + ".log");
                    for (String line : Files.readAllLines(log)) {
                        Matcher m = STEP.matcher(line);
                        if (m.find()) {
                            results.add(new NodeStep(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                                    Integer.parseInt(m.group(3)), Long.parseLong(m.group(4)), Long.parseLong(m.group(5)),
                                    Long.parseLong(m.group(6)), Long.parseLong(m.group(7)), Long.parseLong(m.group(8)),
                                    m.group(9), Long.parseLong(m.group(10))));
                        }
                        Matcher t = TOTAL.matcher(line);
                        if (t.find()) {
                            totals.add(new long[] {Long.parseLong(t.group(2)), Long.parseLong(t.group(3)), Long.parseLong(t.group(4))});
                        }
                    }
                }
                for (long[] total : totals) {
                    runSent += total[0];
                }
                for (long[] total : totals) {
                    everyMessageEverywhere &= total[2] == 0;
                }
                long sentAll = runSent;
                everyMessageEverywhere &= totals.size() == nodes
                        && totals.stream().allMatch(total -> total[1] == sentAll - total[0]);
                processes.forEach(ServerProcess::close);
                for (int step = 0; step < rates.size(); step++) {
                    int s = step;
                    List<NodeStep> ofStep = results.stream().filter(r -> r.step() == s).toList();
                    long sent = ofStep.stream().mapToLong(NodeStep::sent).sum();
                    boolean complete = ofStep.size() == nodes;
                    long worstShort = 0;
                    for (NodeStep r : ofStep) {
                        worstShort = Math.max(worstShort, (sent - r.sent()) - r.received());
                    }
                    long lagP50 = ofStep.stream().mapToLong(NodeStep::lagP50Us).max().orElse(-1);
                    long lagP99 = ofStep.stream().mapToLong(NodeStep::lagP99Us).max().orElse(-1);
                    double cpu = ofStep.stream().mapToLong(NodeStep::cpuMs).sum() / ((stepMillis + drainMillis - 200) / 1000.0);
                    boolean dropped = ofStep.stream().anyMatch(r -> !r.dropped().equals("0") || r.missed() != 0);
                    boolean held = complete && worstShort == 0 && !dropped && lagP99 < 250_000;
                    table.append(String.format(Locale.ROOT, "| %d | %s%s | %,d | %s | %s | %.1f | %.1f | %.0f | %.0f |%n",
                            nodes, rates.get(step), step == 0 ? " (warm-up)" : "", sent,
                            !complete ? "a node did not report" : worstShort == 0 ? "all" : "short by up to " + worstShort,
                            step == 0 ? "" : held ? "yes" : "no", lagP50 / 1e3, lagP99 / 1e3, cpu, redisCpuMsPerSecond.get(step)));
                }
                nothingLost &= everyMessageEverywhere;
                footer.append(String.format(Locale.ROOT, "%d nodes: over the whole run (%,d messages) every node received "
                        + "every message of the others, none missed: %s%n", nodes, runSent, everyMessageEverywhere ? "yes" : "NO"));
                System.out.println(nodes + " nodes done");
            }
        }
        return new Report(table.toString(), footer.toString(), nothingLost);
    }

    /**
     * Whether {@code text} has a line starting with {@code prefix} that was written whole: the last line, with no
     * line end yet, may be half written (a node's TOTAL line read before its numbers were missed in a CI run).
     */
    static boolean hasWholeLine(String text, String prefix) {
        return text.substring(0, text.lastIndexOf('\n') + 1).lines().anyMatch(line -> line.startsWith(prefix));
    }

    /**
     * Waits until the log of every node of a run of {@code nodes} has a whole line starting with {@code prefix}; fails with
     * the end of the log of a node that has none after {@code timeout}.
     */
    private static void awaitEveryLog(Path dir, int nodes, String prefix, List<ServerProcess> processes,
                                      Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int node = 0; node < nodes; node++) {
            Path log = dir.resolve("node-" + nodes + "-" + node + ".log");
            // read as Latin-1: a line being written may end in half a UTF-8 character
            while (!Files.exists(log) || !hasWholeLine(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1),
                    prefix)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no '" + prefix + "' line from node " + node + " within " + timeout
                            + ":\n" + processes.get(node).logTail(40));
                }
                Thread.sleep(20);
            }
        }
    }
}
