package dev.flowpubsub.testsupport;

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
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A server started as a process of its own (a chat server, for a test of two nodes or for a load test), its output in
 * a log file: it can be awaited until it serves, measured (CPU time), and stopped as a deployment stops it. A JVM
 * shutdown hook kills it if the test ends first (a killed build, a timeout), so none outlives its test.
 */
public final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path log;
    private final Thread killOnExit;

    private ServerProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.killOnExit = new Thread(process::destroyForcibly, "stop " + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** Starts {@code command} in {@code directory}, its output and errors into {@code log}. */
    public static ServerProcess start(String name, List<String> command, Path directory, Path log) {
        try {
            Files.createDirectories(log.toAbsolutePath().getParent());
            Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return new ServerProcess(name, process, log);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** The {@code java} of the JVM running this code: servers run on the same JDK as their test. */
    public static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A loopback port nobody listens on now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits until a GET of {@code url} answers as {@code ready} says; fails with the end of the log if the process
     * exits or {@code timeout} passes first.
     */
    public void awaitHttp(URI url, Duration timeout, Predicate<HttpResponse<String>> ready) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient client = HttpClient.newHttpClient()) {
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(this + " exited with " + process.exitValue() + ":\n" + logTail(40));
                }
                try {
                    HttpResponse<String> response = client.send(HttpRequest.newBuilder(url)
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    if (ready.test(response)) {
                        return;
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
        throw new IllegalStateException(this + " was not ready after " + timeout + ":\n" + logTail(40));
    }

    /** The process's CPU time so far in milliseconds, from {@code /proc}; -1 where there is none. */
    public long cpuMillis() {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ", -1);
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime + stime, in clock ticks
            return ticks * 10; // USER_HZ is 100 on Linux
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The process's threads and resident memory now, from {@code /proc/<pid>/status}: {@code {threads, kilobytes}},
     * or {@code {-1, -1}} where there is none.
     */
    public long[] threadsAndResidentKb() {
        long threads = -1;
        long resident = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("Threads:")) {
                    threads = Long.parseLong(line.substring(8).strip());
                } else if (line.startsWith("VmRSS:")) {
                    resident = Long.parseLong(line.substring(6).replace("kB", "").strip());
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
        return new long[] {threads, resident};
    }

    public long pid() {
        return process.pid();
    }

    /** The last {@code lines} lines of the log. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Stops the process as a deployment would (SIGTERM, an orderly shutdown), and kills it if that takes over 15 s. */
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

    @Override
    public String toString() {
        return name + " (pid " + process.pid() + ", log " + log + ")";
    }
}
