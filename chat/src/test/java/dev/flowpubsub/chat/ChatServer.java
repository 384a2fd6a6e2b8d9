package dev.flowpubsub.chat;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The chat application in a JVM process of its own, as one server of several: its own port, its own Vaadin
 * project folder, its hub on the Redis at {@code redisUri}. It runs {@link Application#main} in dev mode from
 * the test's own class path (less the test classes), like {@code spring-boot:run} does, so it is the code just
 * compiled; no jar is built.
 *
 * <pre>{@code
 * try (ChatServer a = ChatServer.start("a", redis.uri())) { a.awaitReady(); browser.openChat(a.url("/")); }
 * }</pre>
 *
 * <p>Each server gets {@code target/servers/<name>/} as its Vaadin project folder ({@code vaadin.project.basedir}),
 * working directory and temp dir. Dev mode writes generated frontend files (index.html, imports, copies of
 * the jars' frontend resources) into the project folder at startup; two servers started at once from the
 * chat module's own folder would write the same files at the same time, and a server reading a half-written
 * one could decide that it must build a new frontend bundle (npm, minutes, network). With a folder each,
 * they share nothing but Redis. The log is {@code target/servers/<name>/server.log}.
 */
final class ChatServer implements AutoCloseable {

    private static final Duration STARTUP = Duration.ofMinutes(2);
    private static final Pattern PAGES = Pattern.compile("\"pages\":(\\d+)");

    private final String name;
    private final int port;
    private final Path directory;
    private final Process process;
    /** Kills the process if the test JVM ends before {@link #close()} (a killed build, a timeout). */
    private final Thread killOnExit;

    private ChatServer(String name, int port, Path directory, Process process) {
        this.name = name;
        this.port = port;
        this.directory = directory;
        this.process = process;
        this.killOnExit = new Thread(process::destroyForcibly, "stop chat server " + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts a server process and returns at once; see {@link #awaitReady()}. Its node id in the cluster is
     * {@code chat-<name>}, so a server started again under the same name is the same node restarted. Health shows
     * its details to anyone here (the demo shows them only to authorized users), so tests can read them.
     */
    static ChatServer start(String name, String redisUri) {
        Path directory = Browsers.moduleDirectory().resolve("target").resolve("servers").resolve(name);
        int port = freePort();
        try {
            deleteRecursively(directory);
            Files.createDirectories(directory.resolve("tmp"));
            List<String> command = List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    // a short-lived test server: quick start over peak speed, and little CPU taken from the browsers
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m",
                    "-Djava.io.tmpdir=" + directory.resolve("tmp"),
                    "-Dvaadin.project.basedir=" + directory,
                    "-cp", applicationClassPath(),
                    Application.class.getName(),
                    "--server.port=" + port,
                    "--pubsub.redis.uri=" + redisUri,
                    "--pubsub.node-id=chat-" + name,
                    "--management.endpoint.health.show-details=always",
                    "--vaadin.devmode.devTools.enabled=false");
            Process process = new ProcessBuilder(command)
                    .directory(directory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(directory.resolve("server.log").toFile())
                    .start();
            return new ChatServer(name, port, directory, process);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start chat server " + name, e);
        }
    }

    /**
     * The test JVM's class path without the test classes: the application's classes, the library's modules
     * and every dependency (the test-only ones do nothing in the application).
     */
    private static String applicationClassPath() {
        String testClasses = Browsers.moduleDirectory().resolve("target").resolve("test-classes").toString();
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !Path.of(entry).toAbsolutePath().toString().equals(testClasses))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /** Waits until the server answers its health endpoint with UP, Redis included; fails with its log's end if it dies or takes too long. */
    ChatServer awaitReady() {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        try (HttpClient client = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(this + " exited with " + process.exitValue() + ":\n" + logTail());
                }
                try {
                    HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(url("/actuator/health")))
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (health.statusCode() == 200 && health.body().startsWith("{\"components\"")
                            && health.body().contains("\"engine\":\"redis\"")
                            && health.body().contains("\"transport\":\"UP\"")) {
                        return this;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                process.waitFor(200, TimeUnit.MILLISECONDS); // a pause that ends early if the process dies
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        throw new IllegalStateException(this + " was not ready after " + STARTUP + ":\n" + logTail());
    }

    /** How many pages (UIs) this server's hub holds, from its health endpoint. */
    int pages() {
        try (HttpClient client = HttpClient.newHttpClient()) {
            String body = client.send(HttpRequest.newBuilder(URI.create(url("/actuator/health"))).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Matcher pages = PAGES.matcher(body);
            if (!pages.find()) {
                throw new IllegalStateException(this + " reports no pages in its health: " + body);
            }
            return Integer.parseInt(pages.group(1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Stops the server as a deployment would (SIGTERM, Spring's orderly shutdown), and kills it if that takes over 15 s. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException exiting) {
            // the JVM is shutting down already: the hook runs, harmlessly
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(directory.resolve("server.log"));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            List<Path> all = new ArrayList<>(files.toList());
            all.sort((x, y) -> y.getNameCount() - x.getNameCount());
            for (Path file : all) {
                Files.delete(file);
            }
        }
    }

    @Override
    public String toString() {
        return "chat server " + name + " (port " + port + ", pid " + process.pid() + ", log " + directory.resolve("server.log") + ")";
    }
}
