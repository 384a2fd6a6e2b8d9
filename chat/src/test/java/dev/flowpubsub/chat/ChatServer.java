package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.Browsers;
import dev.flowpubsub.testsupport.ServerProcess;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * try (ChatServer a = ChatServer.start("a", redis.uri())) { a.awaitReady(); ChatPage.open(browser, a.url("/")); }
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

    private final int port;
    private final String engine;
    private final ServerProcess process;

    private ChatServer(int port, String engine, ServerProcess process) {
        this.port = port;
        this.engine = engine;
        this.process = process;
    }

    /**
     * Starts a server process and returns at once; see {@link #awaitReady()}. Its node id in the cluster is
     * {@code chat-<name>}, so a server started again under the same name is the same node restarted. Health shows
     * its details to anyone here (the demo shows them only to authorized users), so tests can read them.
     */
    static ChatServer start(String name, String redisUri) {
        return start(name, "redis", List.of("--pubsub.redis.uri=" + redisUri));
    }

    /** Like {@link #start(String, String)}, the hub on the PostgreSQL at {@code jdbcUrl} (user postgres, no password). */
    static ChatServer startOnPostgres(String name, String jdbcUrl) {
        return start(name, "postgres", List.of("--pubsub.postgres.enabled=true", "--pubsub.postgres.url=" + jdbcUrl,
                "--pubsub.postgres.username=postgres"));
    }

    private static ChatServer start(String name, String engine, List<String> engineArguments) {
        Path directory = Browsers.moduleDirectory(ChatServer.class).resolve("target").resolve("servers").resolve(name);
        int port = ServerProcess.freePort();
        try {
            deleteRecursively(directory);
            Files.createDirectories(directory.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not prepare " + directory, e);
        }
        List<String> command = new java.util.ArrayList<>(List.of(ServerProcess.java(),
                // a short-lived test server: quick start over peak speed, and little CPU taken from the browsers
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m",
                "-Djava.io.tmpdir=" + directory.resolve("tmp"),
                "-Dvaadin.project.basedir=" + directory,
                "-cp", applicationClassPath(),
                Application.class.getName(),
                "--server.port=" + port,
                "--pubsub.node-id=chat-" + name,
                "--management.endpoint.health.show-details=always",
                "--vaadin.devmode.devTools.enabled=false"));
        command.addAll(engineArguments);
        return new ChatServer(port, engine, ServerProcess.start("chat server " + name + " (port " + port + ")", command,
                directory, directory.resolve("server.log")));
    }

    /**
     * The test JVM's class path without the test classes: the application's classes, the library's modules
     * and every dependency (the test-only ones do nothing in the application).
     */
    private static String applicationClassPath() {
        String testClasses = Browsers.moduleDirectory(ChatServer.class).resolve("target").resolve("test-classes").toString();
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator, -1))
                .filter(entry -> !Path.of(entry).toAbsolutePath().toString().equals(testClasses))
                .collect(Collectors.joining(File.pathSeparator));
    }

    /**
     * Waits until the server answers its health endpoint with UP, its engine (Redis or PostgreSQL) included; fails
     * with its log's end if not.
     */
    ChatServer awaitReady() {
        process.awaitHttp(URI.create(url("/actuator/health")), STARTUP, health -> health.statusCode() == 200
                && health.body().startsWith("{\"components\"")
                && health.body().contains("\"engine\":\"" + engine + "\"")
                && health.body().contains("\"transport\":\"UP\""));
        return this;
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

    /** Stops the server as a deployment would (SIGTERM, Spring's orderly shutdown), and kills it if that takes long. */
    @Override
    public void close() {
        process.close();
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
        return process.toString();
    }
}
