package dev.flowpubsub.testsupport;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server on a free loopback port, in a fresh data folder under {@code target/}, started by a test
 * and owned by it, so the test can kill, freeze and restart it to inject a fault. (Under {@code /tmp} instead when
 * run as root from a folder the {@code postgres} user cannot enter, such as a checkout under {@code /root}.)
 *
 * <p>Debian's {@code postgresql} package puts its binaries in {@code /usr/lib/postgresql/<version>/bin}, not on
 * {@code PATH}; they are looked for there, on {@code PATH} and in {@code /usr/local/bin}. {@code initdb} and
 * {@code postgres} refuse to run as root: when the tests run as root (as on CI), the server runs as the
 * {@code postgres} user (through util-linux's {@code setpriv}) in a folder owned by it.
 *
 * <p>Without the binaries, tests that need them are skipped with one line saying what to install, unless the
 * environment variable {@code CI} is {@code true}: then it is a failure, never a skip.
 *
 * <p>Settings: {@code fsync=off} (a killed process loses nothing the kernel got; only a machine crash would), the
 * default {@code synchronous_commit}, so every acknowledged commit survives {@link #kill()}.
 */
public final class PostgresServer implements AutoCloseable {

    private static final String INSTALL = "apt-get install -y postgresql";
    private static final String SUPERUSER = "postgres";
    /** Data folders made by initdb in this JVM, by binaries and password, copied for each server. */
    private static final Map<String, Path> TEMPLATES = new HashMap<>();

    private final Path bin;
    private final Path dir;
    private final int port;
    private final String password;
    private final boolean asPostgresUser;
    private Process process;
    private long postmasterPid = -1;

    private PostgresServer(Path bin, Path dir, int port, String password) {
        this.bin = bin;
        this.dir = dir;
        this.port = port;
        this.password = password;
        this.asPostgresUser = runsAsRoot();
    }

    /** A server whose superuser {@code postgres} connects without a password (trust). */
    public static PostgresServer start() {
        return start(null);
    }

    /** A server whose superuser {@code postgres} must give {@code password} over TCP (none asked if null). */
    public static PostgresServer start(String password) {
        return startIn(Path.of("target"), password, true);
    }

    /**
     * A server for a tool rather than a test (the benchmarks): data in a fresh folder under {@code parent}. Fails
     * with what to install when PostgreSQL is missing; never skips.
     */
    public static PostgresServer startIn(Path parent) {
        return startIn(parent, null, false);
    }

    private static PostgresServer startIn(Path parent, String password, boolean test) {
        Path bin = test ? requirePostgres() : binaries().orElseThrow(() -> new IllegalStateException(
                "this needs PostgreSQL, which is not installed: " + INSTALL));
        try {
            Files.createDirectories(parent);
            Path home = parent.toAbsolutePath();
            if (runsAsRoot() && !othersMayEnter(home)) {
                // a checkout under /root, say: the postgres user could not reach a folder in it
                home = Path.of("/tmp");
            }
            Path dir = Files.createTempDirectory(home, "postgres-");
            PostgresServer server = new PostgresServer(bin, dir, ServerProcess.freePort(), password);
            server.prepareData();
            server.launch();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException("could not start PostgreSQL", e);
        }
    }

    static boolean runsAsRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** Whether every folder from the root down to {@code dir} lets other users through (o+x). */
    static boolean othersMayEnter(Path dir) {
        try {
            for (Path each = dir; each != null; each = each.getParent()) {
                if (!Files.getPosixFilePermissions(each).contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    return false;
                }
            }
            return true;
        } catch (IOException | UnsupportedOperationException unknown) {
            return false;
        }
    }

    /** Skips the calling test when PostgreSQL's binaries are missing, or fails it on CI; returns their folder. */
    public static Path requirePostgres() {
        Optional<Path> bin = binaries();
        if (bin.isPresent()) {
            return bin.get();
        }
        String message = "PostgreSQL tests need initdb and postgres, which are not installed: " + INSTALL;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: the PostgreSQL tests must not be skipped)");
        }
        Assumptions.abort(message);
        throw new AssertionError("unreachable");
    }

    /** The folder holding {@code initdb} and {@code postgres}: on PATH, Debian's newest, or /usr/local/bin. */
    static Optional<Path> binaries() {
        List<Path> candidates = new ArrayList<>();
        Path onPath = RedisServer.findOnPath("initdb");
        if (onPath != null) {
            candidates.add(onPath.getParent());
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(debian)) {
            try (Stream<Path> versions = Files.list(debian)) {
                versions.map(version -> version.resolve("bin"))
                        .sorted(Comparator.comparingInt(PostgresServer::majorVersion).reversed())
                        .forEach(candidates::add);
            } catch (IOException ignored) {
                // not readable: try the others
            }
        }
        candidates.add(Path.of("/usr/local/bin"));
        return candidates.stream()
                .filter(dir -> Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("postgres")))
                .findFirst();
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException notAVersion) {
            return 0;
        }
    }

    /**
     * Gives the server its data folder: a copy of one made by {@code initdb} once per JVM (and password), which
     * saves about a second per test.
     */
    private void prepareData() throws IOException {
        if (asPostgresUser) {
            chownToPostgres(dir);
        }
        String key = bin + "|" + (password == null ? "trust" : "password:" + password);
        Path template;
        synchronized (TEMPLATES) {
            template = TEMPLATES.get(key);
            if (template == null) {
                template = Files.createTempDirectory(dir.getParent(), "postgres-template-");
                if (asPostgresUser) {
                    chownToPostgres(template);
                }
                initdb(template);
                Path made = template;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(made)));
                TEMPLATES.put(key, template);
            }
        }
        run(asUser(List.of("cp", "-a", template.resolve("data").toString(), dir.resolve("data").toString())),
                "cp", dir.resolve("cp.log"));
    }

    private void initdb(Path into) throws IOException {
        Path data = into.resolve("data");
        List<String> command = new ArrayList<>(List.of(bin.resolve("initdb").toString(), "-D", data.toString(),
                "-U", SUPERUSER, "-E", "UTF8", "--no-sync", "--no-instructions"));
        Path pwfile = into.resolve("pwfile");
        if (password == null) {
            command.addAll(List.of("-A", "trust"));
        } else {
            Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
            if (asPostgresUser) {
                chownToPostgres(pwfile);
            }
            command.addAll(List.of("--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + pwfile));
        }
        try {
            run(asUser(command), "initdb", into.resolve("initdb.log"));
        } finally {
            Files.deleteIfExists(pwfile);
        }
    }

    private static void run(List<String> command, String what, Path log) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException(what + " failed; see " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + what, e);
        }
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException ignored) {
            // left for the next clean
        }
    }

    static void chownToPostgres(Path path) throws IOException {
        UserPrincipal owner = path.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(SUPERUSER);
        Files.setOwner(path, owner);
    }

    private List<String> asUser(List<String> command) {
        return asPostgresUser ? asPostgres(command) : command;
    }

    /** {@code command} run as the {@code postgres} user, for a JVM running as root. */
    static List<String> asPostgres(List<String> command) {
        // setpriv execs the command in its own process; runuser would stay its parent and stop itself when the
        // server is frozen (as su does), leaving a killed server a zombie it never reaps
        List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=" + SUPERUSER, "--regid=" + SUPERUSER,
                "--init-groups", "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    private void launch() throws IOException {
        List<String> command = List.of(bin.resolve("postgres").toString(), "-D", dir.resolve("data").toString(),
                "-p", Integer.toString(port), "-k", dir.toString(),
                "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off",
                "-c", "max_connections=200", "-c", "shared_buffers=32MB");
        process = new ProcessBuilder(asUser(command)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("postgres.log").toFile())).start();
        awaitReady();
    }

    /** Waits until postmaster.pid names a live process and says "ready", as pg_ctl does. */
    private void awaitReady() {
        Path pidFile = dir.resolve("data").resolve("postmaster.pid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("postgres exited with " + process.exitValue() + "; see "
                        + dir.resolve("postgres.log"));
            }
            try {
                List<String> lines = Files.readAllLines(pidFile, StandardCharsets.US_ASCII);
                if (lines.size() >= 8 && lines.get(7).strip().equals("ready")) {
                    long pid = Long.parseLong(lines.get(0).strip());
                    if (pid != postmasterPid && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        postmasterPid = pid;
                        return;
                    }
                }
            } catch (IOException | NumberFormatException notYet) {
                // still starting
            }
            sleep(20);
        }
        throw new IllegalStateException("postgres did not get ready on port " + port + "; see "
                + dir.resolve("postgres.log"));
    }

    public int port() {
        return port;
    }

    /** {@code jdbc:postgresql://127.0.0.1:port/postgres}, without credentials. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    /**
     * What the server has written to its log so far (its standard error, every start appended): for a test that
     * turns on {@code log_statement} to see which statements reached the server, and from which backend.
     */
    public String log() {
        try {
            return new String(Files.readAllBytes(dir.resolve("postgres.log")), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dir.resolve("postgres.log"), e);
        }
    }

    /** The superuser's name, {@code postgres}. */
    public String username() {
        return SUPERUSER;
    }

    /** The superuser's password, or {@code null} when the server asks none. */
    public String password() {
        return password;
    }

    /**
     * Kills the server and every backend at once (SIGKILL), as a crash does; what it acknowledged is in the kernel's
     * hands, so a {@link #restart()} recovers it.
     */
    public void kill() {
        if (postmasterPid < 0) {
            return;
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(postmasterPid);
        if (postmaster.isPresent()) {
            signal("STOP", List.of(postmasterPid)); // no new backend while the ones seen are killed
            List<ProcessHandle> all = new ArrayList<>(postmaster.get().descendants().toList());
            all.add(postmaster.get());
            signal("KILL", all.stream().map(ProcessHandle::pid).toList());
            // the backends are gone with their memory once killed; only the postmaster must be reaped before a restart
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (postmaster.get().isAlive() && System.nanoTime() < deadline) {
                sleep(5);
            }
        }
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server again on the same port, with the same data (after crash recovery, if it was killed). */
    public void restart() {
        try {
            try {
                launch();
            } catch (IllegalStateException refused) {
                // a killed backend may still hold the old shared memory for a moment: postgres refuses to start then
                sleep(500);
                launch();
            }
        } catch (IOException e) {
            throw new IllegalStateException("could not restart postgres", e);
        }
    }

    /**
     * Kills the server and starts an empty one in its place, on the same port, with the same superuser and password:
     * a database that lost its data (a container without a volume, a host rebuilt from nothing). Every table is
     * gone, and every connection to the old server is broken.
     */
    public void restartEmpty() {
        kill();
        deleteTree(dir.resolve("data"));
        try {
            prepareData();
        } catch (IOException e) {
            throw new IllegalStateException("could not make an empty data folder for postgres", e);
        }
        restart();
    }

    /**
     * Freezes the server and every backend (SIGSTOP): connections stay open but nothing is answered, as with a hung
     * or unreachable host.
     */
    public void pause() {
        ProcessHandle.of(postmasterPid).ifPresent(postmaster -> {
            signal("STOP", List.of(postmasterPid));
            signal("STOP", postmaster.descendants().map(ProcessHandle::pid).toList());
        });
    }

    /** Lets a paused server go on (SIGCONT). */
    public void resume() {
        ProcessHandle.of(postmasterPid).ifPresent(postmaster -> {
            signal("CONT", postmaster.descendants().map(ProcessHandle::pid).toList());
            signal("CONT", List.of(postmasterPid));
        });
    }

    private static void signal(String signal, List<Long> pids) {
        if (pids.isEmpty()) {
            return;
        }
        List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
        pids.forEach(pid -> command.add(Long.toString(pid)));
        try {
            Process kill = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            kill.waitFor(10, TimeUnit.SECONDS); // a backend that exited meanwhile makes kill fail: harmless
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** CPU time (user and system) of the server's live processes so far: the postmaster and every backend. */
    public java.time.Duration cpuTime() {
        return ProcessHandle.of(postmasterPid).map(postmaster -> java.util.stream.Stream.concat(Stream.of(postmaster),
                        postmaster.descendants())
                .map(process -> process.info().totalCpuDuration().orElse(java.time.Duration.ZERO))
                .reduce(java.time.Duration.ZERO, java.time.Duration::plus)).orElse(java.time.Duration.ZERO);
    }

    public boolean isRunning() {
        return postmasterPid > 0 && ProcessHandle.of(postmasterPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * Kills the server (resumed first if frozen) and deletes its data (about 40 MB); its log stays under
     * {@code target/} for a post-mortem.
     */
    @Override
    public void close() {
        if (isRunning()) {
            resume();
            kill();
        }
        deleteTree(dir.resolve("data"));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
