package dev.flowpubsub.testsupport;

import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.time.Duration;
import java.util.List;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One tab of a {@link Browser}, what every page object shares: each call first switches the browser to this
 * tab, so the tabs of one browser can be used in turn; waits are explicit conditions with a deadline, polled
 * every 50 ms, never sleeps.
 */
public abstract class BrowserTab {

    /** How long anything the server does may take to show in a browser before a test fails. */
    public static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Browser browser;
    private final String handle;

    protected BrowserTab(Browser browser, String handle) {
        this.browser = browser;
        this.handle = handle;
    }

    public String handle() {
        return handle;
    }

    /** The browser this tab is in. */
    public Browser browser() {
        return browser;
    }

    /** Runs JavaScript in this page and returns its result. */
    public Object script(String script) {
        return browser.on(this).executeScript(script);
    }

    /** The texts a script returns as an array, such as the rendered lines of a list, in one round trip. */
    public List<String> texts(String script) {
        List<?> texts = (List<?>) script(script);
        return texts.stream().map(String::valueOf).toList();
    }

    /** Waits until {@code script} returns exactly {@code expected}; fails showing what this page shows instead. */
    public void awaitTexts(String what, String script, Duration timeout, List<String> expected) {
        try {
            until(timeout, d -> texts(script).equals(expected));
        } catch (TimeoutException e) {
            // the assertion below tells what this page shows instead
        }
        assertThat(texts(script)).as("%s shown in %s", what, this).containsExactlyElementsOf(expected);
    }

    /**
     * A PNG of the element {@code view} finds, laid out in a window {@code width} pixels wide. Nothing is
     * focused or hovered and no transition is running, so two runs give the same picture.
     */
    public byte[] screenshot(By view, int width) {
        ChromeDriver driver = browser.on(this);
        driver.manage().window().setSize(new Dimension(width, 800));
        driver.executeScript("document.activeElement?.blur()");
        new Actions(driver).moveToLocation(0, 0).perform();
        until(d -> (Boolean) driver.executeScript(
                "return document.getAnimations().every(animation => animation.playState !== 'running')"));
        return driver.findElement(view).getScreenshotAs(OutputType.BYTES);
    }

    /**
     * Closes this tab, as its close button does. ChromeDriver closes it through Chromium, which runs the
     * page's pagehide and beforeunload handlers, so Vaadin's client sends its UNLOAD beacon and the server
     * closes the UI. That holds for the browser's last tab too (Chromium then exits).
     */
    public void close() {
        driver().close();
        browser.closed(this);
    }

    public WebDriver driver() {
        return browser.on(this);
    }

    public <T> T until(Function<? super WebDriver, T> condition) {
        return until(TIMEOUT, condition);
    }

    public <T> T until(Duration timeout, Function<? super WebDriver, T> condition) {
        return new WebDriverWait(driver(), timeout, Duration.ofMillis(50)).until(condition);
    }

    @Override
    public String toString() {
        return "tab " + handle + " of " + browser;
    }
}
