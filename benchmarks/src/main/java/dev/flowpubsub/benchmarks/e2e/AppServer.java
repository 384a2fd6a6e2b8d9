package dev.flowpubsub.benchmarks.e2e;

import dev.flowpubsub.testsupport.ServerProcess;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An application under test (the chat on flow-pubsub, or the stock app with the docs' Broadcaster): started from
 * its production jar as a separate process on a free loopback port (so its heap and threads are its own), or an
 * already running one given by URL. Reads the process's CPU time from {@code /proc} so each load step can report
 * the server's CPU per message.
 */
public final class AppServer implements AutoCloseable {

    final URI base;
    /** {@code null} for an application someone else started. */
    private final ServerProcess process;
    /** What stops an application someone else started, when its run ends; {@code null} to leave it running. */
    private final Runnable onClose;

    private AppServer(URI base, ServerProcess process, Runnable onClose) {
        this.base = base;
        this.process = process;
        this.onClose = onClose;
    }

    /** An application someone else started, left running. */
    public static AppServer external(String url) {
        return external(url, null);
    }

    /** An application someone else started (a test, in its own JVM), stopped with {@code onClose} after its run. */
    public static AppServer external(String url, Runnable onClose) {
        return new AppServer(URI.create(url.endsWith("/") ? url : url + "/"), null, onClose);
    }

    /**
     * Starts {@code java -jar jar} with the given heap on a free loopback port, with {@code appArguments} after the
     * jar (Spring Boot properties such as {@code --pubsub.min-batch-interval=100ms}), and waits until
     * {@code readyPath} answers 200. Every application gets the same JVM options, {@code javaOptions} added.
     */
    static AppServer start(String name, Path jar, String heap, List<String> javaOptions, Path logFile,
                           List<String> appArguments, String readyPath) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("no jar of " + name + " at " + jar + ": build it with "
                    + "./mvnw -Pproduction -pl chat,benchmarks/stock-app -am package -DskipTests");
        }
        int port = ServerProcess.freePort();
        Path directory = logFile.toAbsolutePath().getParent();
        List<String> command = new ArrayList<>(List.of(ServerProcess.java(), "-Xms" + heap, "-Xmx" + heap,
                "-XX:+UseG1GC", "-Djava.io.tmpdir=" + directory));
        command.addAll(javaOptions); // such as a profiler: -XX:StartFlightRecording=...
        command.addAll(List.of(
                "-jar", jar.toAbsolutePath().toString(),
                "--server.port=" + port, "--server.address=127.0.0.1", "--logging.level.root=WARN"));
        command.addAll(appArguments);
        AppServer server = new AppServer(URI.create("http://127.0.0.1:" + port + "/"),
                ServerProcess.start(name + " (port " + port + ")", command, directory, logFile), null);
        server.process.awaitHttp(server.base.resolve(readyPath), Duration.ofSeconds(90),
                response -> response.statusCode() == 200);
        return server;
    }

    /** The server process's CPU time so far in milliseconds, or -1 when it is not ours or /proc is missing. */
    long cpuMillis() {
        return process == null ? -1 : process.cpuMillis();
    }

    /** The server's threads and resident memory in kilobytes now, {@code {-1, -1}} when it is not ours. */
    long[] threadsAndResidentKb() {
        return process == null ? new long[] {-1, -1} : process.threadsAndResidentKb();
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
        if (onClose != null) {
            onClose.run();
        }
    }
}
