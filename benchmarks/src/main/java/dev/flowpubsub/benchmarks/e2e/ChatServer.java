package dev.flowpubsub.benchmarks.e2e;

import java.io.IOException;
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
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The chat application under test: started from its production jar as a separate process on a free loopback port
 * (so its heap and threads are its own), or an already running one given by URL. Reads the process's CPU time from
 * {@code /proc} so each load step can report the server's CPU per message.
 */
final class ChatServer implements AutoCloseable {

    final URI base;
    private final Process process;

    private ChatServer(URI base, Process process) {
        this.base = base;
        this.process = process;
    }

    /** An application someone else started. */
    static ChatServer external(String url) {
        return new ChatServer(URI.create(url.endsWith("/") ? url : url + "/"), null);
    }

    /**
     * Starts {@code java -jar chatJar} with the given heap on a free loopback port, with {@code appArguments} after
     * the jar (Spring Boot properties such as {@code --chat.push.write-wait-ms=100}), and waits until it serves.
     */
    static ChatServer start(Path chatJar, String heap, Path logFile, List<String> appArguments)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(chatJar)) {
            throw new IllegalArgumentException("no chat jar at " + chatJar + ": build it with "
                    + "./mvnw -Pproduction -pl chat -am package -DskipTests");
        }
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-Xms" + heap, "-Xmx" + heap, "-XX:+UseG1GC",
                "-Djava.io.tmpdir=" + logFile.toAbsolutePath().getParent(),
                "-jar", chatJar.toAbsolutePath().toString(),
                "--server.port=" + port, "--server.address=127.0.0.1", "--logging.level.root=WARN"));
        command.addAll(appArguments);
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(logFile.toFile()).start();
        ChatServer server = new ChatServer(URI.create("http://127.0.0.1:" + port + "/"), process);
        server.awaitServing(Duration.ofSeconds(90), logFile);
        return server;
    }

    private void awaitServing(Duration timeout, Path logFile) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient client = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (process != null && !process.isAlive()) {
                    throw new IllegalStateException("the chat exited with " + process.exitValue() + "; see " + logFile);
                }
                try {
                    HttpResponse<Void> response = client.send(HttpRequest.newBuilder(base.resolve("actuator/health"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() == 200) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting
                }
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("the chat did not start serving within " + timeout + "; see " + logFile);
    }

    /** The server process's CPU time so far in milliseconds, or -1 when it is not ours or /proc is missing. */
    long cpuMillis() {
        if (process == null) {
            return -1;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime, in clock ticks
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
