package dev.flowpubsub.benchmarks.e2e;

import dev.flowpubsub.testsupport.PushClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The end-to-end tool's other measurement, {@code --idle-seconds N}: what K open pages cost a contender's server while
 * nothing is sent.
 */
final class IdleCost {

    private IdleCost() {
    }

    /** What K open, idle pages cost a contender's server. */
    public record Idle(String contender, int clients, double seconds, long serverCpuMs) {
        /** Server CPU per second of idleness, in milliseconds (1,000 is one core kept busy). */
        public double cpuMsPerSecond() {
            return serverCpuMs / seconds;
        }
    }

    /**
     * {@code --idle-seconds N}: per contender, K pages open and nothing sent for N seconds (after 5 s to settle), and
     * the server's CPU time over those seconds: what open pages cost, push's heartbeats and write threads included.
     */
    static List<Idle> measure(EndToEndTool.Servers servers, EndToEndTool.Config config, Duration window,
                              java.io.PrintStream log)
            throws Exception {
        List<Idle> results = new ArrayList<>();
        ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
        Connections connections = Connections.open(config, callbacks);
        try {
            for (String contender : config.contenders()) {
                try (AppServer server = servers.open(contender)) {
                    Tracker tracker = new Tracker(config.clients());
                    List<PushClient> clients = EndToEndTool.openAll(connections, server, "", tracker, config, log, contender);
                    try {
                        Thread.sleep(5_000);
                        long before = server.cpuMillis();
                        Thread.sleep(window.toMillis());
                        long cpu = before < 0 ? -1 : server.cpuMillis() - before;
                        Idle idle = new Idle(contender, clients.size(), window.toMillis() / 1000.0, cpu);
                        log.printf(Locale.ROOT, "%s idle K=%d for %.0f s: server CPU %d ms (%.1f ms per second)%n",
                                contender, idle.clients(), idle.seconds(), cpu, idle.cpuMsPerSecond());
                        results.add(idle);
                    } finally {
                        EndToEndTool.closeAll(clients);
                    }
                }
            }
        } finally {
            connections.close();
            callbacks.shutdownNow();
        }
        return results;
    }

    static String table(List<Idle> results) {
        StringBuilder out = new StringBuilder("""
                | contender | K open, idle pages | seconds | server CPU ms | CPU ms per second |
                |---|---:|---:|---:|---:|
                """);
        for (Idle idle : results) {
            out.append(String.format(Locale.ROOT, "| %s | %,d | %.0f | %d | %.1f |%n", idle.contender(), idle.clients(),
                    idle.seconds(), idle.serverCpuMs(), idle.cpuMsPerSecond()));
        }
        return out.toString();
    }
}
