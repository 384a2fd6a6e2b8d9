package dev.flowpubsub.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PgBouncer in front of a test's {@link PostgresServer}, in transaction mode ({@code pool_mode = transaction}):
 * a server connection is a client's only for one transaction, then goes back to the pool, as in many production
 * deployments. What a session keeps between transactions ({@code LISTEN}, named prepared statements, {@code SET})
 * may be on another server connection at the client's next transaction, or on none.
 *
 * <p>It listens on a free loopback port, with its ini file and its log in a fresh folder under {@code target/} (under
 * {@code /tmp} when run as root from a folder the {@code postgres} user cannot enter, as {@link PostgresServer}
 * does). Clients log in as any user without a password ({@code auth_type = any}); PgBouncer logs in to PostgreSQL as
 * its superuser, with its password if it has one. The pool is small (4 server connections), so clients share server
 * connections as they would under load. PostgreSQL may be killed and restarted behind it: PgBouncer stays up and
 * reconnects within a fraction of a second of PostgreSQL being back ({@code server_login_retry = 0.2}).
 *
 * <p>PgBouncer refuses to run as root: when the tests run as root (as on CI), it runs as the {@code postgres} user
 * (through util-linux's {@code setpriv}) on files owned by it. Debian's {@code pgbouncer} package installs it as
 * {@code /usr/sbin/pgbouncer}, off a normal user's {@code PATH}; it is looked for there, on {@code PATH} and in
 * {@code /usr/local/bin}. Without it, tests that need it are skipped with one line saying what to install, unless
 * the environment variable {@code CI} is {@code true}: then it is a failure, never a skip.
 *
 * <p>Threading: made, used and closed by the test's thread; {@link #port()} and {@link #jdbcUrl()} from any thread. A
 * JVM shutdown hook kills the process if the test ends first, so none outlives its test run.
 */
public final class PgBouncerServer implements AutoCloseable {

    private static final String INSTALL = "apt-get install -y pgbouncer";
    /** Server connections per database and user: few, so that clients take turns on them. */
    private static final int POOL_SIZE = 4;

    private final PostgresServer target;
    private final Path dir;
    private final int port;
    private final Process process;
    private final Thread killOnExit;

    private PgBouncerServer(PostgresServer target, Path dir, int port, Process process) {
        this.target = target;
        this.dir = dir;
        this.port = port;
        this.process = process;
        this.killOnExit = new Thread(process::destroyForcibly, "stop pgbouncer on " + port);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts PgBouncer in transaction mode in front of {@code target}, which must be running; returns once it
     * accepts connections. Skips the calling test when PgBouncer is not installed (fails it on CI).
     */
    public static PgBouncerServer start(PostgresServer target) {
        Path binary = requirePgBouncer();
        try {
            Path home = Path.of("target").toAbsolutePath();
            Files.createDirectories(home);
            boolean asPostgresUser = PostgresServer.runsAsRoot();
            if (asPostgresUser && !PostgresServer.othersMayEnter(home)) {
                home = Path.of("/tmp"); // a checkout under /root, say: the postgres user could not reach a folder in it
            }
            Path dir = Files.createTempDirectory(home, "pgbouncer-");
            int port = ServerProcess.freePort();
            Path ini = dir.resolve("pgbouncer.ini");
            Files.writeString(ini, ini(target, port), StandardCharsets.UTF_8);
            if (asPostgresUser) {
                PostgresServer.chownToPostgres(dir);
                PostgresServer.chownToPostgres(ini);
            }
            List<String> command = List.of(binary.toString(), ini.toString());
            Process process = new ProcessBuilder(asPostgresUser ? PostgresServer.asPostgres(command) : command)
                    .directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("pgbouncer.log").toFile()).start();
            PgBouncerServer server = new PgBouncerServer(target, dir, port, process);
            try {
                server.awaitListening();
            } catch (RuntimeException failed) {
                server.close();
                throw failed;
            }
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start pgbouncer", e);
        }
    }

    /** Skips the calling test when PgBouncer is missing, or fails it on CI; returns its binary. */
    public static Path requirePgBouncer() {
        Optional<Path> binary = binary();
        if (binary.isPresent()) {
            return binary.get();
        }
        String message = "PgBouncer tests need pgbouncer, which is not installed: " + INSTALL;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: the PgBouncer tests must not be skipped)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** The {@code pgbouncer} binary: Debian's in /usr/sbin, on PATH, or in /usr/local/bin. */
    static Optional<Path> binary() {
        Path onPath = RedisServer.findOnPath("pgbouncer");
        return Stream.of(Path.of("/usr/sbin/pgbouncer"), onPath, Path.of("/usr/local/bin/pgbouncer"))
                .filter(candidate -> candidate != null && Files.isExecutable(candidate))
                .findFirst();
    }

    /**
     * The configuration. {@code ignore_startup_parameters}: pgjdbc sends {@code extra_float_digits} at login, which
     * PgBouncer 1.18 refuses unless told to ignore it. No Unix socket: only the loopback port, so runs do not meet.
     */
    private static String ini(PostgresServer target, int port) {
        String password = target.password();
        if (password != null && !password.matches("[A-Za-z0-9_.:@%+=-]+")) {
            throw new IllegalArgumentException("this fixture passes PostgreSQL's password in pgbouncer.ini unquoted: "
                    + "use letters, digits and _.:@%+=- only");
        }
        return """
                [databases]
                postgres = host=127.0.0.1 port=%d dbname=postgres user=%s%s

                [pgbouncer]
                listen_addr = 127.0.0.1
                listen_port = %d
                unix_socket_dir =
                auth_type = any
                pool_mode = transaction
                default_pool_size = %d
                max_client_conn = 200
                ignore_startup_parameters = extra_float_digits
                server_login_retry = 0.2
                server_connect_timeout = 5
                query_wait_timeout = 30
                """.formatted(target.port(), target.username(), password == null ? "" : " password=" + password, port,
                POOL_SIZE);
    }

    /** Waits until the port accepts a connection; fails with the log if PgBouncer exits or 30 s pass first. */
    private void awaitListening() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("pgbouncer exited with " + process.exitValue() + ":\n" + log());
            }
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                return;
            } catch (IOException notYet) {
                // still starting
            }
            try {
                process.waitFor(20, TimeUnit.MILLISECONDS); // a pause that ends early if it dies
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting pgbouncer", e);
            }
        }
        throw new IllegalStateException("pgbouncer did not listen on port " + port + " within 30 s:\n" + log());
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:port/postgres}, through PgBouncer, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /** The PostgreSQL behind this PgBouncer. */
    public PostgresServer target() {
        return target;
    }

    public boolean isRunning() {
        return process.isAlive();
    }

    /** What PgBouncer has logged so far (connections, errors), for a failure message. */
    public String log() {
        try {
            return Files.readString(dir.resolve("pgbouncer.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    /** Kills PgBouncer and deletes its configuration; its log stays in its folder for a post-mortem. Idempotent. */
    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException exiting) {
            // the JVM is shutting down already: the hook runs, harmlessly
        }
        try {
            Files.deleteIfExists(dir.resolve("pgbouncer.ini"));
        } catch (IOException ignored) {
            // left for "mvn clean"
        }
    }

    @Override
    public String toString() {
        return "PgBouncer on " + port + " (transaction mode) in front of PostgreSQL on " + target.port() + ", log in "
                + dir;
    }
}
