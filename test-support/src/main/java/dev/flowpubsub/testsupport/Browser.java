package dev.flowpubsub.testsupport;

import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;

/**
 * One person's browser in an end-to-end test: a headless Chromium with its own profile, hence its own
 * cookies and its own Vaadin session. Its tabs are {@link BrowserTab}s, page objects of the app under test;
 * tabs of one browser share that session, as they do in real life. Made by {@link Browsers#open()}, which also closes it.
 *
 * <p>Not thread-safe: one test thread drives it.
 */
public final class Browser {

    private final ChromeDriver driver;
    private final Path profile;
    private final List<BrowserTab> tabs = new ArrayList<>();
    private boolean closed;
    /** Set when its Chromium was killed: such a browser is closed, never reused. */
    private boolean killed;

    Browser(ChromeDriver driver, Path profile) {
        this.driver = driver;
        this.profile = profile;
    }

    /**
     * Opens {@code url} in this browser: in its first tab, then in a new tab each time; returns the page object
     * {@code page} makes of the browser and the tab's handle. It does not wait for the page to render: a page
     * object's own {@code open} does that.
     *
     * <pre>{@code
     * static ChatPage open(Browser browser, String url) {
     *     ChatPage page = browser.openTab(url, (b, tab) -> new ChatPage(b, tab, url));
     *     page.awaitShown();
     *     return page;
     * }
     * }</pre>
     */
    public <P extends BrowserTab> P openTab(String url, BiFunction<Browser, String, P> page) {
        P tab = page.apply(this, load(url));
        tabs.add(tab);
        return tab;
    }

    /** Loads {@code url} in the first tab, or in a new tab if there is one already; returns the tab's handle. */
    private String load(String url) {
        if (!tabs.isEmpty()) {
            driver.switchTo().newWindow(WindowType.TAB);
        }
        driver.get(url);
        return driver.getWindowHandle();
    }

    /** The driver, switched to {@code tab}. Every page operation goes through here, so tabs can be used in turn. */
    public ChromeDriver on(BrowserTab tab) {
        if (!tabs.contains(tab)) {
            throw new IllegalStateException(tab + " was closed");
        }
        driver.switchTo().window(tab.handle());
        return driver;
    }

    /** Called by {@link BrowserTab#close()} after its tab closed. */
    void closed(BrowserTab tab) {
        tabs.remove(tab);
    }

    /**
     * Leaves every open page, as a user going elsewhere does: each tab navigates to {@code about:blank},
     * which runs the page's unload handlers, so the Vaadin client sends its UNLOAD beacon and the server
     * closes the UI. {@link #close()} alone would not do that: {@code quit()} ends Chromium without
     * running any page's unload handlers, so the server would hold those UIs until their heartbeats
     * time out, minutes later.
     */
    public void leaveAllPages() {
        for (BrowserTab tab : tabs) {
            on(tab).get("about:blank");
        }
    }

    /**
     * Kills this browser's Chromium processes at once (SIGKILL), as a crash or a killed laptop lid does: no page
     * unloads, no beacon; the kernel closes its sockets, so the server sees only its push connection drop. Its
     * ChromeDriver is ended by {@link #close()}.
     */
    public void kill() {
        String profileArgument = "--user-data-dir=" + profile;
        List<ProcessHandle> chromium = ProcessHandle.allProcesses()
                .filter(process -> process.info().arguments().map(args -> List.of(args).contains(profileArgument))
                        .orElse(false))
                .toList();
        if (chromium.isEmpty()) {
            throw new IllegalStateException("no Chromium process found for " + this);
        }
        for (ProcessHandle process : chromium) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly(); // SIGKILL: the kernel closes its sockets at once, even before it is reaped
        }
        killed = true;
        tabs.clear();
    }

    /**
     * Makes this browser fit for the next test, as another person on the same machine: one new empty tab (a new
     * {@code window.name}, no {@code sessionStorage}), every other tab left for {@code about:blank} (its page's
     * unload handlers run while its cookies still stand, so the server closes its UI) and closed, and then no
     * cookies, so the next page gets a Vaadin session of its own. What stays is Chromium's cache, so the app's
     * scripts load from disk, and {@code localStorage}. Returns false, having closed it, when this browser cannot be
     * reused (killed, closed, or failing to reset).
     */
    boolean reset() {
        if (closed || killed) {
            close();
            return false;
        }
        try {
            tabs.clear();
            String fresh = driver.switchTo().newWindow(WindowType.TAB).getWindowHandle();
            for (String handle : driver.getWindowHandles()) {
                if (!handle.equals(fresh)) {
                    driver.switchTo().window(handle).get("about:blank");
                    driver.close();
                }
            }
            driver.switchTo().window(fresh);
            driver.executeCdpCommand("Network.clearBrowserCookies", Map.of());
            return true;
        } catch (RuntimeException broken) {
            close();
            return false;
        }
    }

    /** Whether its Chromium still answers; false once closed or killed. */
    boolean answers() {
        if (closed || killed) {
            return false;
        }
        try {
            driver.getWindowHandle();
            return true;
        } catch (RuntimeException gone) {
            return false;
        }
    }

    /** Ends this browser (Chromium and its ChromeDriver) and deletes its profile. Idempotent. */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        tabs.clear();
        try {
            driver.quit();
        } catch (RuntimeException alreadyKilled) {
            // its Chromium was killed: ChromeDriver ends anyway
        } finally {
            deleteProfile();
        }
    }

    /** Best effort: a profile holds about 13 MB of cache, which would otherwise pile up in target/ over runs. */
    private void deleteProfile() {
        try (Stream<Path> files = Files.walk(profile)) {
            files.sorted(Comparator.reverseOrder()).forEach(file -> file.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // left for "mvn clean"; nothing depends on it
        }
    }

    @Override
    public String toString() {
        return "browser " + profile.getFileName();
    }
}
