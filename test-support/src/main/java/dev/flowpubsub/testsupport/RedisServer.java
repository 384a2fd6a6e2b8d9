package dev.flowpubsub.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} process on a free loopback port, started by a test and owned by it, so the test can
 * kill and restart it to inject a fault. Data lives in a fresh folder under {@code target/}, every write on disk.
 *
 * <p>Without {@code redis-server} on the machine, tests that need one are skipped with one line saying what to
 * install, unless the environment variable {@code CI} is {@code true}: then it is a failure, never a skip.
 */
public final class RedisServer implements AutoCloseable {

    /** How the server keeps what it is sent. */
    public enum Persistence {
        /** Nothing on disk: Redis's usual setting for a message bus, and what the benchmarks measure by default. */
        NONE,
        /** AOF with fsync always: every acknowledged write survives a kill, as the crash tests need. */
        FSYNC_ALWAYS
    }

    private final int port;
    private final Path dir;
    private final List<String> extraArgs;
    private final String password;
    private final boolean tls;
    private final Persistence persistence;
    private Process process;

    private RedisServer(int port, Path dir, List<String> extraArgs, String password, boolean tls,
            Persistence persistence) {
        this.port = port;
        this.dir = dir;
        this.extraArgs = extraArgs;
        this.password = password;
        this.tls = tls;
        this.persistence = persistence;
    }

    /** A server that persists every acknowledged write (AOF, fsync always), so a kill and restart loses nothing. */
    public static RedisServer start() {
        return start(null);
    }

    /** Like {@link #start()}, requiring {@code password} from clients (none if null). */
    public static RedisServer start(String password) {
        return launch(password, List.of(), false);
    }

    /** A TLS-only server with the given PEM certificate and key (pubsub-redis's tests make them: TestCertificates). */
    public static RedisServer startTls(Path certificate, Path key) {
        return launch(null, List.of("--tls-cert-file", certificate.toString(), "--tls-key-file", key.toString(),
                "--tls-ca-cert-file", certificate.toString(), "--tls-auth-clients", "no"), true);
    }

    /**
     * A server for a tool rather than a test (the benchmarks): data in a fresh folder under {@code parent}, kept as
     * {@code persistence} says. Fails with what to install when {@code redis-server} is missing; never skips.
     */
    public static RedisServer startIn(Path parent, Persistence persistence) {
        if (findOnPath("redis-server") == null) {
            throw new IllegalStateException("this needs redis-server, which is not installed: "
                    + "apt-get install -y redis-server");
        }
        return launch(parent, null, List.of(), false, persistence);
    }

    private static RedisServer launch(String password, List<String> extraArgs, boolean tls) {
        requireRedisServer();
        return launch(Path.of("target"), password, extraArgs, tls, Persistence.FSYNC_ALWAYS);
    }

    private static RedisServer launch(Path parent, String password, List<String> extraArgs, boolean tls,
            Persistence persistence) {
        try {
            Files.createDirectories(parent);
            Path dir = Files.createTempDirectory(parent, "redis-");
            RedisServer server = new RedisServer(ServerProcess.freePort(), dir.toAbsolutePath(), extraArgs, password,
                    tls, persistence);
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start redis-server", e);
        }
    }

    /** Skips the calling test when redis-server is missing, or fails it on CI. */
    public static void requireRedisServer() {
        if (findOnPath("redis-server") != null) {
            return;
        }
        String message = "Redis tests need redis-server, which is not installed: apt-get install -y redis-server";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: the Redis tests must not be skipped)");
        }
        Assumptions.abort(message);
    }

    public static Path findOnPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator, -1)) {
            Path candidate = Path.of(dir, command);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    private void launch() throws IOException {
        List<String> command = new ArrayList<>(List.of("redis-server",
                tls ? "--tls-port" : "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--dir", dir.toString(), "--save", "", "--daemonize", "no", "--protected-mode", "no",
                "--logfile", dir.resolve("redis.log").toString()));
        command.addAll(persistence == Persistence.FSYNC_ALWAYS ? List.of("--appendonly", "yes", "--appendfsync", "always")
                : List.of("--appendonly", "no"));
        if (tls) {
            command.addAll(List.of("--port", "0"));
        }
        if (password != null) {
            command.addAll(List.of("--requirepass", password));
        }
        command.addAll(extraArgs);
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("stdout.log").toFile()).start();
        awaitListening();
    }

    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("redis-server exited with " + process.exitValue() + "; see " + dir);
            }
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                if (tls || ping(socket)) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server did not start listening on port " + port + "; see " + dir);
    }

    private boolean ping(Socket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write((password == null ? "PING\r\n" : "AUTH " + password + "\r\nPING\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[256];
        StringBuilder reply = new StringBuilder();
        while (!reply.toString().contains("PONG") && !reply.toString().contains("LOADING")) {
            int read = in.read(buffer);
            if (read < 0) {
                return false;
            }
            reply.append(new String(buffer, 0, read, StandardCharsets.US_ASCII));
        }
        return reply.toString().contains("PONG");
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:port} (or {@code rediss://}), with the password (percent-encoded) if the server has one. */
    public String uri() {
        return (tls ? "rediss://" : "redis://")
                + (password == null ? "" : ":" + java.net.URLEncoder.encode(password, StandardCharsets.UTF_8) + "@")
                + "127.0.0.1:" + port;
    }

    /** Kills the server at once (SIGKILL), as a crash does; with {@code FSYNC_ALWAYS}, acknowledged writes are on disk. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server again on the same port, with the same data. */
    public void restart() {
        try {
            launch();
        } catch (IOException e) {
            throw new IllegalStateException("could not restart redis-server", e);
        }
    }

    /**
     * Kills the server and starts it again on the same port with nothing: its data files deleted in between, as a
     * Redis without persistence comes back after a crash.
     */
    public void restartEmpty() {
        kill();
        try (var files = Files.list(dir)) {
            for (Path file : files.filter(f -> !f.getFileName().toString().endsWith(".log")).toList()) {
                deleteTree(file);
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not delete the data of redis-server in " + dir, e);
        }
        restart();
    }

    private static void deleteTree(Path path) throws IOException {
        if (Files.isDirectory(path)) {
            try (var children = Files.list(path)) {
                for (Path child : children.toList()) {
                    deleteTree(child);
                }
            }
        }
        Files.delete(path);
    }

    /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, as with a hung or unreachable host. */
    public void pause() {
        signal("STOP");
    }

    /** Lets a paused server go on (SIGCONT). */
    public void resume() {
        signal("CONT");
    }

    private void signal(String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
            if (kill.waitFor() != 0) {
                throw new IllegalStateException("kill -" + signal + " failed");
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Runs a command with {@code redis-cli} against this server and returns what it printed. */
    public String cli(String... command) {
        List<String> line = new ArrayList<>(List.of("redis-cli", "-p", Integer.toString(port)));
        if (password != null) {
            line.addAll(List.of("--no-auth-warning", "-a", password));
        }
        line.addAll(List.of(command));
        try {
            Process cli = new ProcessBuilder(line).redirectErrorStream(true).start();
            String out = new String(cli.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            cli.waitFor(10, TimeUnit.SECONDS);
            return out.strip();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** How many times Redis ran {@code command} (lower case, such as "lrange"), from INFO commandstats. */
    public long commandCalls(String command) {
        for (String line : cli("INFO", "commandstats").lines().toList()) {
            if (line.startsWith("cmdstat_" + command + ":calls=")) {
                return Long.parseLong(line.substring(line.indexOf('=') + 1, line.indexOf(',')));
            }
        }
        return 0;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        if (process != null) {
            kill();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
