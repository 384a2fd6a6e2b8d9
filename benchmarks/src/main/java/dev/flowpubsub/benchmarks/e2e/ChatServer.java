package dev.flowpubsub.benchmarks.e2e;

import dev.flowpubsub.testsupport.ServerProcess;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat application under test: started from its production jar as a separate process on a free loopback port
 * (so its heap and threads are its own), or an already running one given by URL. Reads the process's CPU time from
 * {@code /proc} so each load step can report the server's CPU per message.
 */
final class ChatServer implements AutoCloseable {

    final URI base;
    /** {@code null} for an application someone else started. */
    private final ServerProcess process;

    private ChatServer(URI base, ServerProcess process) {
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
    static ChatServer start(Path chatJar, String heap, Path logFile, List<String> appArguments) {
        if (!Files.isRegularFile(chatJar)) {
            throw new IllegalArgumentException("no chat jar at " + chatJar + ": build it with "
                    + "./mvnw -Pproduction -pl chat -am package -DskipTests");
        }
        int port = ServerProcess.freePort();
        Path directory = logFile.toAbsolutePath().getParent();
        List<String> command = new ArrayList<>(List.of(ServerProcess.java(), "-Xms" + heap, "-Xmx" + heap,
                "-XX:+UseG1GC", "-Djava.io.tmpdir=" + directory,
                "-jar", chatJar.toAbsolutePath().toString(),
                "--server.port=" + port, "--server.address=127.0.0.1", "--logging.level.root=WARN"));
        command.addAll(appArguments);
        ChatServer server = new ChatServer(URI.create("http://127.0.0.1:" + port + "/"),
                ServerProcess.start("the chat (port " + port + ")", command, directory, logFile));
        server.process.awaitHttp(server.base.resolve("actuator/health"), Duration.ofSeconds(90),
                response -> response.statusCode() == 200);
        return server;
    }

    /** The server process's CPU time so far in milliseconds, or -1 when it is not ours or /proc is missing. */
    long cpuMillis() {
        return process == null ? -1 : process.cpuMillis();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
