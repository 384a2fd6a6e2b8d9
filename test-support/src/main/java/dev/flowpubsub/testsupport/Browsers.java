package dev.flowpubsub.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real browsers for end-to-end tests: headless Chromium and ChromeDriver from the system's packages. Each
 * {@link #open()} gives a separate browser, a Chromium process with its own profile, so its own cookies and its
 * own Vaadin session, as if another person opened the app on another machine.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final Browsers browsers = new Browsers();
 * ...
 * List<ChatPage> pages = browsers.openInNewBrowsers(3, url, ChatPage::open);   // Ann, Bob and Cid
 * }</pre>
 *
 * <p>As a JUnit extension it skips the test class when Chromium or ChromeDriver is missing, with one line
 * saying what to install, except with {@code CI=true}, where a missing browser fails the tests so CI never
 * goes green without running them. After each test it takes back whatever browsers the test left open: each is
 * {@linkplain Browser#reset() reset} (tabs closed, cookies cleared) and handed out again by a later {@link #open()}
 * of any test class of the same run (one JVM: a module's surefire or failsafe run), so a test does not wait for
 * Chromium to start and load the app's scripts again; they are ended when the run ends. A browser that was killed or
 * that fails to reset is ended at once.
 *
 * <p>Both paths are given to Selenium explicitly, so Selenium Manager never tries to download a browser or
 * a driver. Profiles and Chromium's own temp files go under the {@code target/} of the module whose test
 * class registered the extension. A module using it declares {@code selenium-chrome-driver},
 * {@code selenium-support} and {@code assertj-core} itself (optional here, to keep them out of the benchmarks).
 */
public final class Browsers implements ExecutionCondition, BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    public static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    public static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private static final String INSTALL_HINT = "Browser tests need " + CHROMIUM + " and " + CHROMEDRIVER
            + ": apt-get install -y chromium chromium-driver";

    /**
     * Selenium warns once per browser that it has no CDP module for this Chromium; no test uses CDP. Silenced
     * here for every test class, with Spring's logging or without. A field, because JUL holds loggers weakly.
     */
    private static final Logger CDP_VERSION_FINDER = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        CDP_VERSION_FINDER.setLevel(Level.SEVERE);
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(Browsers.class);

    private final List<Browser> open = new ArrayList<>();
    /** The run's browsers reset after an earlier test, to be handed out again. */
    private volatile IdleBrowsers idle = new IdleBrowsers();
    private volatile Path target;
    private static boolean logsOfEarlierRunsDeleted;

    /**
     * Notes the {@code target/} folder of the test class's module, where the browsers' files go, and takes the run's
     * idle browsers: the root context's store holds them, and ends them when the run ends.
     */
    @Override
    public void beforeAll(ExtensionContext context) {
        target = moduleDirectory(context.getRequiredTestClass()).resolve("target");
        idle = context.getRoot().getStore(NAMESPACE).computeIfAbsent(IdleBrowsers.class, key -> new IdleBrowsers(),
                IdleBrowsers.class);
    }

    /** Runs the tests when both programs are there; skips them with one line saying what to install, or fails them on CI. */
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return ConditionEvaluationResult.enabled("Chromium and ChromeDriver are installed");
        }
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(INSTALL_HINT + " (CI=true: browser tests must run, not skip)");
        }
        System.err.println("SKIPPED " + context.getDisplayName() + ": " + INSTALL_HINT);
        return ConditionEvaluationResult.disabled(INSTALL_HINT);
    }

    /**
     * A browser of its own: its own Chromium process and cookies, so its own Vaadin session. One an earlier test of
     * the class left behind, reset, or else a new one with a new profile.
     */
    public Browser open() {
        Path target = this.target;
        if (target == null) {
            throw new IllegalStateException("register Browsers as a static @RegisterExtension field of the test class");
        }
        Browser reused;
        while (true) {
            reused = idle.poll();
            if (reused == null) {
                break;
            }
            if (reused.answers()) {
                synchronized (open) {
                    open.add(reused);
                }
                return reused;
            }
            reused.close();
        }
        Path profile;
        Path tmp;
        try {
            profile = Files.createTempDirectory(browsersDirectory(target), "profile-");
            tmp = Files.createDirectories(target.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1200,800",
                "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withEnvironment(chromiumEnvironment(tmp))
                .withLogFile(profile.resolveSibling(profile.getFileName() + ".log").toFile())
                .build();
        Browser browser = new Browser(new ChromeDriver(service, options), profile);
        synchronized (open) {
            open.add(browser);
        }
        return browser;
    }

    /**
     * {@code target/browsers}: each browser's profile while it runs, and its ChromeDriver log, kept for
     * when a test fails. Logs of earlier test runs (JVMs) are deleted on first use, so they do not pile up.
     */
    private static synchronized Path browsersDirectory(Path target) throws IOException {
        Path directory = target.resolve("browsers");
        if (!logsOfEarlierRunsDeleted) {
            if (Files.isDirectory(directory)) {
                try (Stream<Path> files = Files.list(directory)) {
                    for (Path log : files.filter(file -> file.toString().endsWith(".log")).toList()) {
                        Files.deleteIfExists(log);
                    }
                }
            }
            logsOfEarlierRunsDeleted = true;
        }
        return Files.createDirectories(directory);
    }

    /**
     * Points Chromium's TMPDIR (its shared memory files, since /dev/shm is not used, and its singleton socket)
     * into {@code target/}. That socket's path must fit in a Unix socket address (107 bytes), and Chromium
     * adds about 45 characters to TMPDIR; from a deeper checkout Chromium keeps the system's temp dir rather
     * than fail to start ("Socket path too long").
     */
    private static Map<String, String> chromiumEnvironment(Path tmp) {
        Map<String, String> environment = new HashMap<>();
        // or Chromium writes crash-report settings and dconf state into the user's real home
        environment.put("HOME", tmp.resolveSibling("home").toString());
        if (tmp.toString().length() <= 60) {
            environment.put("TMPDIR", tmp.toString());
        }
        return environment;
    }

    /**
     * Opens {@code url} in {@code count} new browsers, one page each, made by {@code openPage} (such as a page
     * object's {@code open(Browser, String)}), returned in order. They start in parallel: each takes about two
     * seconds of CPU (Chromium, then the dev-mode bundle's JavaScript), so this saves little on two cores but
     * more on bigger machines.
     */
    public <P extends BrowserTab> List<P> openInNewBrowsers(int count, String url, BiFunction<Browser, String, P> openPage) {
        return openInNewBrowsers(Collections.nCopies(count, url), openPage);
    }

    /** Opens each URL (of one server or of several) in a new browser each, as {@link #openInNewBrowsers(int, String, BiFunction)}. */
    public <P extends BrowserTab> List<P> openInNewBrowsers(List<String> urls, BiFunction<Browser, String, P> openPage) {
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<P>> pages = new ArrayList<>();
            for (String url : urls) {
                pages.add(starters.submit(() -> openPage.apply(open(), url)));
            }
            List<P> opened = new ArrayList<>();
            for (Future<P> page : pages) {
                opened.add(page.get());
            }
            return opened;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Leaves every page of every open browser (see {@link Browser#leaveAllPages()}), so the server closes their UIs. */
    public void leaveAllPages() {
        forEachOpen(Browser::leaveAllPages);
    }

    /**
     * Takes back every browser opened since the last call: reset for a later test of the class, or ended. Its
     * pages are closed as their tabs close; leave them first to wait for the server to drop them.
     */
    public void closeAll() {
        try {
            forEachOpen(browser -> {
                if (browser.reset()) {
                    idle.add(browser);
                }
            });
        } finally {
            synchronized (open) {
                open.clear();
            }
        }
    }

    /** Runs {@code action} on every open browser, even when it fails on some; then rethrows the first failure. */
    private void forEachOpen(Consumer<Browser> action) {
        List<Browser> browsers;
        synchronized (open) {
            browsers = List.copyOf(open);
        }
        RuntimeException failure = null;
        for (Browser browser : browsers) {
            try {
                action.accept(browser);
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** A safety net: whatever browsers a test left open are taken back (see {@link #closeAll()}). */
    @Override
    public void afterEach(ExtensionContext context) {
        closeAll();
    }

    /**
     * Ends any browser still open (one opened in an {@code @AfterAll}, say, and never reset), so none outlives its test
     * class unreset. Browsers are per test: one opened in a {@code @BeforeAll} is taken back after the first test like
     * the others. The reset ones stay for the next test class of the run.
     */
    @Override
    public void afterAll(ExtensionContext context) {
        List<Browser> left;
        synchronized (open) {
            left = List.copyOf(open);
            open.clear();
        }
        left.forEach(Browser::close);
    }

    /**
     * The browsers of a run (a JVM) that are reset and waiting to be handed out again, to any test class; ended when
     * JUnit closes the root context's store at the end of the run.
     */
    static final class IdleBrowsers implements AutoCloseable {

        private final Deque<Browser> browsers = new ArrayDeque<>();

        synchronized Browser poll() {
            return browsers.poll();
        }

        synchronized void add(Browser browser) {
            browsers.add(browser);
        }

        @Override
        public void close() {
            List<Browser> all;
            synchronized (this) {
                all = List.copyOf(browsers);
                browsers.clear();
            }
            all.forEach(Browser::close);
        }
    }

    /**
     * The directory of the module whose tests include {@code testClass}, found from where its compiled classes are
     * ({@code <module>/target/test-classes}), so it works from Maven and IDEs alike.
     */
    public static Path moduleDirectory(Class<?> testClass) {
        try {
            Path testClasses = Path.of(testClass.getProtectionDomain().getCodeSource().getLocation().toURI());
            return testClasses.getParent().getParent(); // <module>/target/test-classes
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
