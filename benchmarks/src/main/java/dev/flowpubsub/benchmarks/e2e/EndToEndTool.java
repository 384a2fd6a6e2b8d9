package dev.flowpubsub.benchmarks.e2e;

import dev.flowpubsub.benchmarks.Args;
import dev.flowpubsub.testsupport.PushClient;
import org.HdrHistogram.Histogram;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End to end: K protocol-level push clients ({@link PushClient}) on a chat page, while some of them type and send
 * messages at a fixed rate. Measures, per message, the time from the send request leaving the sender until the last
 * of the K pages (the sender's included) has received the update that shows it; counts the pushes (UIDL messages
 * over the WebSocket) per message; and steps the rate up until the last-recipient p99 passes the limit, which gives
 * the highest rate held. Each contender is its own application, started from its production jar with the same JVM
 * options, one after the other, with the same K and rates:
 * <ul>
 * <li>{@code stock}: the stock app (a Vaadin 25 Spring Boot app with the docs' Broadcaster, Vaadin's and
 * Atmosphere's defaults), what users have today;</li>
 * <li>{@code tuned-broadcaster}: the same jar with Atmosphere's write wait set to {@code --tuned-write-wait-ms}
 * (1 by default), as docs/limits-and-tuning.md shows;</li>
 * <li>{@code pubsub}: flow-pubsub's chat;</li>
 * <li>{@code pubsub-atmosphere-defaults} (not run unless named): the chat with Atmosphere's own write wait, as before
 * flow-pubsub set it.</li>
 * </ul>
 *
 * <pre>
 * ./mvnw -Pproduction -pl chat,benchmarks/stock-app -am package -DskipTests
 * java -jar benchmarks/target/benchmarks.jar e2e --clients 1000
 * </pre>
 *
 * <p>{@code --write-wait-ms N} sets the chat's Atmosphere write wait ({@code pubsub.push.atmosphere-write-wait});
 * {@code --min-batch-interval-ms N} flow-pubsub's minimum interval between a page's batches;
 * {@code --url-<contender> URL} measures an application someone else started instead of starting one;
 * {@code --idle-seconds N} measures only what K open, idle pages cost each server's CPU over N seconds;
 * {@code --push websocket-deflate} has the clients offer permessage-deflate as Chromium does (the server then
 * compresses every push), {@code --push long-polling} take pushes by long polling, as browsers behind a proxy that
 * refuses WebSockets do (default {@code websocket}: uncompressed).
 */
public final class EndToEndTool {

    /** The contenders, in the order they run by default. */
    public static final List<String> CONTENDERS = List.of("stock", "tuned-broadcaster", "pubsub");

    /** Gives the application a contender runs against, started or found; closed after that contender's run. */
    @FunctionalInterface
    public interface Servers {
        AppServer open(String contender) throws Exception;
    }

    /** What one step at one rate measured. */
    public record Step(String contender, String phase, int clients, double rate, int sent, int completed, int skipped,
                       double firstP50Ms, double p50Ms, double p99Ms, double maxMs, double pushesPerMessage, double serverCpuMsPerMessage, double clientCpuMsPerMessage,
                       long peakServerThreads, long peakServerRssMb, List<String> pushExtensions, long resynchronizations,
                       boolean held) {
    }

    /** Settings of a run. */
    public record Config(int clients, List<String> contenders, double headlineRate, double headlineSeconds,
                         List<Double> ladder, double stepSeconds, int minMessagesPerStep, int senders, double p99LimitMs,
                         int warmupMessages, Duration drainTimeout, Duration pause, PushClient.Channel channel) {

        /** A configuration from {@code --name value} options, defaults for the rest. */
        public static Config parse(String... options) {
            return from(new Args(options));
        }

        static Config from(Args args) {
            List<Double> ladder = new ArrayList<>();
            for (String rate : args.list("ladder", "0.5,1,2,3,5,8,13,20,30,50,80")) {
                if (!rate.equals("none")) { // --ladder none: the headline rate only
                    ladder.add(Double.parseDouble(rate));
                }
            }
            return new Config(args.integer("clients", 1000), args.list("contenders", String.join(",", CONTENDERS)),
                    args.number("rate", 5), args.number("seconds", 20), ladder, args.number("step-seconds", 10),
                    args.integer("step-min-messages", 30), args.integer("senders", 16), args.number("p99-limit-ms", 250),
                    args.integer("warmup-messages", 20), Duration.ofSeconds(args.integer("drain-seconds", 15)),
                    Duration.ofMillis((long) (args.number("pause-seconds", 3) * 1000)), channel(args.get("push", "websocket")));
        }

        /**
         * {@code --push websocket} (Vaadin's default, uncompressed), {@code websocket-deflate} (compressed, as with
         * Chromium) or {@code long-polling} (Vaadin's fallback behind proxies).
         */
        private static PushClient.Channel channel(String name) {
            return switch (name) {
                case "websocket" -> PushClient.Channel.WEBSOCKET;
                case "websocket-deflate" -> PushClient.Channel.WEBSOCKET_DEFLATE;
                case "long-polling" -> PushClient.Channel.LONG_POLLING;
                default -> throw new IllegalArgumentException("--push is websocket, websocket-deflate or long-polling, not '" + name + "'");
            };
        }
    }

    private EndToEndTool() {
    }

    /**
     * The chat's arguments: {@code --write-wait-ms N}, the Atmosphere write wait flow-pubsub sets (1 ms unless told),
     * and {@code --min-batch-interval-ms N}, flow-pubsub's minimum interval between a page's batches (default none).
     */
    private static List<String> chatArguments(Args args) {
        List<String> arguments = new ArrayList<>();
        String wait = args.get("write-wait-ms", "");
        if (!wait.isEmpty()) {
            arguments.add("--pubsub.push.atmosphere-write-wait=" + Integer.parseInt(wait) + "ms");
        }
        String interval = args.get("min-batch-interval-ms", "");
        if (!interval.isEmpty()) {
            arguments.add("--pubsub.min-batch-interval=" + Integer.parseInt(interval) + "ms");
        }
        return arguments;
    }

    /** Starts each contender's application from its jar, or finds the one given with {@code --url-<contender>}. */
    private static Servers servers(Args args) {
        Path chatJar = Path.of(args.get("chat-jar", "chat/target/flow-pubsub-chat-0.1.0-SNAPSHOT.jar"));
        Path stockJar = Path.of(args.get("stock-jar",
                "benchmarks/stock-app/target/flow-pubsub-benchmarks-stock-app-0.1.0-SNAPSHOT.jar"));
        String heap = args.get("heap", "3g");
        // --server-java-options "-XX:StartFlightRecording=filename=server.jfr" (one option per space)
        List<String> javaOptions = args.get("server-java-options", "").isBlank() ? List.of()
                : List.of(args.get("server-java-options", "").strip().split("\\s+"));
        Path logs = Path.of(args.get("log-dir", "benchmarks/target"));
        String tunedWait = Integer.toString(Integer.parseInt(args.get("tuned-write-wait-ms", "1")));
        return contender -> {
            String url = args.get("url-" + contender, "");
            if (!url.isEmpty()) {
                return AppServer.external(url);
            }
            Path log = logs.resolve("e2e-" + contender + ".log");
            return switch (contender) {
                case "pubsub" -> AppServer.start("the chat", chatJar, heap, javaOptions, log, chatArguments(args), "actuator/health");
                case "pubsub-atmosphere-defaults" -> {
                    List<String> chat = new ArrayList<>(chatArguments(args));
                    chat.add("--pubsub.push.atmosphere-write-wait="); // Atmosphere's own wait, as before the library set it
                    yield AppServer.start("the chat, Atmosphere's defaults", chatJar, heap, javaOptions, log, chat, "actuator/health");
                }
                case "stock" -> AppServer.start("the stock app", stockJar, heap, javaOptions, log, List.of(), "");
                case "tuned-broadcaster" -> AppServer.start("the stock app, tuned", stockJar, heap, javaOptions, log,
                        List.of("--stock.atmosphere-write-wait-ms=" + tunedWait), "");
                default -> throw new IllegalArgumentException("unknown contender '" + contender + "': one of "
                        + CONTENDERS);
            };
        };
    }

    public static void main(String[] arguments) throws Exception {
        Args args = new Args(arguments);
        Config config = Config.from(args);
        double idleSeconds = args.number("idle-seconds", 0);
        if (idleSeconds > 0) {
            List<IdleCost.Idle> idle = IdleCost.measure(servers(args), config,
                    Duration.ofMillis((long) (idleSeconds * 1000)), System.out);
            System.out.println();
            System.out.println(IdleCost.table(idle));
            System.exit(0);
        }
        List<Step> steps = run(servers(args), config, System.out);
        System.out.println();
        System.out.println(table(steps, config));
        System.exit(0);
    }

    /**
     * Runs every contender, each on its own application: the headline rate first, then the ladder until a step does
     * not hold.
     */
    public static List<Step> run(Servers servers, Config config, java.io.PrintStream log) throws Exception {
        List<Step> steps = new ArrayList<>();
        AtomicLong nextSeq = new AtomicLong();
        ExecutorService callbacks = Executors.newVirtualThreadPerTaskExecutor();
        Connections connections = Connections.open(config, callbacks);
        try {
            for (String contender : config.contenders()) {
                try (AppServer server = servers.open(contender)) {
                    steps.addAll(runOne(connections, server, contender, nextSeq, config, log));
                }
            }
        } finally {
            connections.close();
            callbacks.shutdownNow();
        }
        return steps;
    }

    private static List<Step> runOne(Connections connections, AppServer server, String contender, AtomicLong nextSeq,
                                     Config config, java.io.PrintStream log) throws Exception {
        List<Step> steps = new ArrayList<>();
        Tracker tracker = new Tracker(config.clients());
        List<PushClient> clients = openAll(connections, server, "", tracker, config, log, contender);
        try {
            // warm-up: the server's JIT and pools, not measured
            measure(server, clients, tracker, nextSeq, contender, "warm-up", 2, config.warmupMessages(), config, log);
            steps.add(measure(server, clients, tracker, nextSeq, contender, "headline", config.headlineRate(),
                    (int) Math.round(config.headlineRate() * config.headlineSeconds()), config, log));
            for (double rate : config.ladder()) {
                int messages = Math.max(config.minMessagesPerStep(), (int) Math.round(rate * config.stepSeconds()));
                Step step = measure(server, clients, tracker, nextSeq, contender, "ladder", rate, messages, config, log);
                steps.add(step);
                if (!step.held()) {
                    break;
                }
            }
        } finally {
            closeAll(clients);
        }
        Thread.sleep(config.pause().toMillis()); // let the server drop the closed pages before it stops
        return steps;
    }

    static List<PushClient> openAll(Connections connections, AppServer server, String route, Tracker tracker,
                                            Config config, java.io.PrintStream log, String contender) throws Exception {
        int count = config.clients();
        long start = System.nanoTime();
        List<PushClient> clients = new ArrayList<>();
        Semaphore concurrency = new Semaphore(16); // as many page loads at once as a busy minute of real users
        List<CompletableFuture<Void>> opening = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            PushClient client = connections.client(i, server, route, tracker, config.channel());
            clients.add(client);
            concurrency.acquire();
            opening.add(CompletableFuture.runAsync(() -> {
                try {
                    client.open();
                } catch (Exception e) {
                    throw new IllegalStateException("client " + client.index() + " could not open the chat", e);
                } finally {
                    concurrency.release();
                }
            }, Executors.newVirtualThreadPerTaskExecutor()));
        }
        CompletableFuture.allOf(opening.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        log.printf(Locale.ROOT, "%s: %d push clients (%s) open in %.1f s%n", contender, count, config.channel(),
                (System.nanoTime() - start) / 1e9);
        return clients;
    }

    static void closeAll(List<PushClient> clients) throws InterruptedException {
        Semaphore concurrency = new Semaphore(16); // 1,000 unload requests at once time out
        List<CompletableFuture<?>> closing = new ArrayList<>();
        for (PushClient client : clients) {
            concurrency.acquire();
            closing.add(client.close().whenComplete((ignored, failure) -> concurrency.release()));
        }
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        } catch (Exception e) {
            // best effort: the server expires pages that did not get the unload
        }
    }

    /** Sends {@code messages} at {@code rate} per second from rotating senders and waits for every receipt. */
    private static Step measure(AppServer server, List<PushClient> clients, Tracker tracker, AtomicLong nextSeq,
                                String contender, String phase, double rate, int messages, Config config,
                                java.io.PrintStream log)
            throws InterruptedException {
        tracker.reset();
        List<PushClient> senders = clients.subList(0, Math.min(config.senders(), clients.size()));
        long cpuStart = server.cpuMillis();
        long clientCpuStart = clientCpuNanos();
        Peaks peaks = Peaks.watch(server);
        long resyncsBefore = clients.stream().mapToLong(PushClient::resynchronizations).sum();
        long intervalNanos = (long) (1e9 / rate);
        long start = System.nanoTime();
        int sent = 0;
        int skipped = 0;
        int next = 0;
        for (int i = 0; i < messages; i++) {
            long due = start + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            PushClient sender = null;
            for (int tries = 0; tries < senders.size() && sender == null; tries++) {
                PushClient candidate = senders.get(next++ % senders.size());
                if (candidate.idle()) {
                    sender = candidate;
                }
            }
            if (sender == null) {
                skipped++; // every sender still waits for its last response: the server is not keeping up
                continue;
            }
            long seq = nextSeq.getAndIncrement();
            tracker.sending(seq, System.nanoTime());
            if (sender.send("qz" + seq + "zq")) {
                sent++;
            } else {
                tracker.cancel(seq);
                skipped++;
            }
        }
        boolean drained = tracker.awaitAll(config.drainTimeout());
        peaks.stop();
        if (!drained) {
            List<Integer> behind = tracker.behind(sent);
            log.printf(Locale.ROOT, "%s %s: %d of %d clients missed messages, for example %s%n", contender, phase,
                    behind.size(), clients.size(), behind.stream().limit(3).map(i -> clients.get(i).describe()).toList());
        }
        long cpuEnd = server.cpuMillis();
        long clientCpuEnd = clientCpuNanos();
        Histogram last = tracker.lastRecipient();
        int completed = (int) last.getTotalCount();
        double p99 = last.getValueAtPercentile(99) / 1e6;
        boolean held = drained && skipped == 0 && completed == sent && p99 < config.p99LimitMs();
        Step step = new Step(contender, phase, clients.size(), rate, sent, completed, skipped,
                tracker.firstRecipient().getValueAtPercentile(50) / 1e6, last.getValueAtPercentile(50) / 1e6, p99, last.getMaxValue() / 1e6,
                sent == 0 ? 0 : tracker.pushes() / (double) sent,
                cpuStart < 0 || sent == 0 ? Double.NaN : (cpuEnd - cpuStart) / (double) sent,
                sent == 0 ? Double.NaN : (clientCpuEnd - clientCpuStart) / 1e6 / sent, peaks.threads(), peaks.residentMb(),
                clients.getFirst().extensions(),
                clients.stream().mapToLong(PushClient::resynchronizations).sum() - resyncsBefore, held);
        log.printf(Locale.ROOT, "%s %s K=%d rate=%.1f/s: sent %d, reached all %d, skipped %d, first recipient p50 %.1f ms, "
                        + "last recipient p50 %.1f ms p99 %.1f ms max %.1f ms, %.0f pushes/message, server CPU %.1f ms/message, load generator CPU %.1f ms/message, "
                        + "server at most %d threads and %d MB resident, %d pages resynchronized -> %s%n",
                contender, phase, clients.size(), rate, sent, completed, skipped, step.firstP50Ms(), step.p50Ms(), p99, step.maxMs(),
                step.pushesPerMessage(), step.serverCpuMsPerMessage(), step.clientCpuMsPerMessage(), step.peakServerThreads(),
                step.peakServerRssMb(), step.resynchronizations(), held ? "held" : "NOT held");
        return step;
    }

    static String table(List<Step> steps, Config config) {
        StringBuilder out = new StringBuilder();
        out.append("pushes over: ").append(switch (config.channel()) {
            case WEBSOCKET -> "WebSocket, uncompressed";
            case WEBSOCKET_DEFLATE -> "WebSocket with permessage-deflate, as from Chromium";
            case LONG_POLLING -> "long polling";
        }).append("\n\n");
        out.append(String.format(Locale.ROOT, "| contender | step | K | rate/s | sent | reached all K | skipped sends | first recipient p50 ms | last recipient p50 ms | p99 ms | max ms | pushes per message | server CPU ms per message | load generator CPU ms per message | server threads, most | server resident MB, most | p99 < %.0f ms |%n",
                config.p99LimitMs()));
        out.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (Step s : steps) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %,d | %s | %d | %d | %d | %.1f | %.1f | %.1f | %.1f | %.0f | %.1f | %.1f | %d | %d | %s |%n",
                    s.contender(), s.phase(), s.clients(), trim(s.rate()), s.sent(), s.completed(), s.skipped(), s.firstP50Ms(), s.p50Ms(), s.p99Ms(),
                    s.maxMs(), s.pushesPerMessage(), s.serverCpuMsPerMessage(), s.clientCpuMsPerMessage(),
                    s.peakServerThreads(), s.peakServerRssMb(), s.held() ? "yes" : "no"));
        }
        out.append('\n');
        for (String contender : config.contenders()) {
            double best = highestRateHeld(steps, contender);
            out.append(String.format(Locale.ROOT, "highest rate held by %s: %s messages/s%n", contender, trim(best)));
        }
        return out.toString();
    }

    /** CPU time of this (load generator) process so far, to tell whether the clients or the server limit a step. */
    private static long clientCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The rate of the last ladder step that held, stepping up from the lowest (0 if none did). */
    public static double highestRateHeld(List<Step> steps, String contender) {
        return steps.stream().filter(s -> s.contender().equals(contender) && s.phase().equals("ladder") && s.held())
                .mapToDouble(Step::rate).max().orElse(0);
    }

    private static String trim(double rate) {
        return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
    }
}
