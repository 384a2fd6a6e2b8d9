package dev.flowpubsub.example;

import dev.flowpubsub.testsupport.Browser;
import dev.flowpubsub.testsupport.BrowserTab;
import org.jspecify.annotations.Nullable;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.LocalTime;
import java.util.List;

/** The example's page in one browser tab, used as a person would: read the clock, say something, read what was said. */
final class LivePage extends BrowserTab {

    private static final By CLOCK = By.id("clock");
    private static final By MESSAGE = By.cssSelector("vaadin-text-field[placeholder='Say something'] input");
    private static final By SEND = By.xpath("//vaadin-button[normalize-space()='Send']");
    private static final String SHOWN_CLOCK = "return document.getElementById('clock').textContent";
    private static final String SHOWN_SAID = "return Array.from(document.querySelectorAll('#said > p'), p => p.innerText)";

    private LivePage(Browser browser, String handle) {
        super(browser, handle);
    }

    /** Opens the example in {@code browser} and waits until the view is rendered (so the page is subscribed). */
    static LivePage open(Browser browser, String url) {
        LivePage page = browser.openTab(url, LivePage::new);
        page.until(ExpectedConditions.and(
                ExpectedConditions.visibilityOfElementLocated(CLOCK),
                ExpectedConditions.visibilityOfElementLocated(MESSAGE)));
        return page;
    }

    /** Waits until the clock shows a time other than {@code notThis} (or any time, if {@code null}); returns it. */
    LocalTime awaitClockOtherThan(@Nullable LocalTime notThis) {
        return until(d -> {
            String text = String.valueOf(script(SHOWN_CLOCK));
            if (!text.matches("\\d\\d:\\d\\d:\\d\\d")) {
                return null; // the placeholder, before the first tick
            }
            LocalTime time = LocalTime.parse(text);
            return time.equals(notThis) ? null : time;
        });
    }

    /** Types {@code text}, clicks Send, and waits until the server has taken it (it empties the field). */
    void say(String text) {
        WebDriver driver = driver();
        driver.findElement(MESSAGE).sendKeys(text);
        driver.findElement(SEND).click();
        until(d -> d.findElement(MESSAGE).getDomProperty("value").isEmpty());
    }

    /** Waits until the page shows exactly {@code expected} as said, in that order. */
    void awaitSaid(String... expected) {
        awaitTexts("what was said", SHOWN_SAID, TIMEOUT, List.of(expected));
    }
}
