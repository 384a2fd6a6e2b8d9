package dev.flowpubsub.benchmarks;

import java.util.Arrays;

/**
 * The benchmark jar's entry point: {@code java -jar benchmarks.jar TOOL args...} runs one of the load tools, any
 * other first argument (or none) goes to JMH's own command line ({@code -h} lists its options).
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar FanOut -rf json -rff target/fanout.json   # JMH
 * java -jar benchmarks/target/benchmarks.jar memory --n 10000
 * java -jar benchmarks/target/benchmarks.jar e2e --clients 1000     # the stock app, the tuned Broadcaster, flow-pubsub
 * java -jar benchmarks/target/benchmarks.jar e2e --clients 1000 --idle-seconds 60
 * java -jar benchmarks/target/benchmarks.jar crossnode
 * java -jar benchmarks/target/benchmarks.jar crosssignal --pages 1000   # a shared signal write beside a message
 * java -jar benchmarks/target/benchmarks.jar crosssignal --engines local  # one node: ours in memory, Vaadin's own
 * java -jar benchmarks/target/benchmarks.jar signalwrites --engines redis,postgres   # signal writes/s one engine confirms
 * java -jar benchmarks/target/benchmarks.jar memory --contenders span,bound-local,bound-cluster
 * java -jar benchmarks/target/benchmarks.jar throughput --nodes 2,3,4    # one Redis stream, node processes
 * java -jar benchmarks/target/benchmarks.jar report --jmh target/fanout.json --chart docs/fanout.png
 * java -jar benchmarks/target/benchmarks.jar latency-chart --results a.txt,b.txt --chart docs/latency-by-k.png
 * </pre>
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String tool = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (tool) {
            case "report" -> dev.flowpubsub.benchmarks.report.JmhReport.main(rest);
            case "latency-chart" -> dev.flowpubsub.benchmarks.report.LatencyChart.main(rest);
            case "e2e" -> dev.flowpubsub.benchmarks.e2e.EndToEndTool.main(rest);
            case "crossnode" -> dev.flowpubsub.benchmarks.crossnode.CrossNodeTool.main(rest);
            case "crosssignal" -> dev.flowpubsub.benchmarks.crosssignal.CrossSignalTool.main(rest);
            case "throughput" -> dev.flowpubsub.benchmarks.throughput.ThroughputTool.main(rest);
            case "signalwrites" -> dev.flowpubsub.benchmarks.signalwrites.SignalWritesTool.main(rest);
            case "memory" -> dev.flowpubsub.benchmarks.memory.MemoryTool.main(rest);
            default -> org.openjdk.jmh.Main.main(args);
        }
    }
}
