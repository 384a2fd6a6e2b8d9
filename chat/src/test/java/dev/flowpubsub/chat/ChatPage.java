package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.Browser;
import dev.flowpubsub.testsupport.BrowserTab;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.time.Duration;
import java.util.List;

/**
 * The chat open in one browser tab, used as a person would: type a name and a message, press Send or
 * Enter, read the messages. Made by {@link #open(Browser, String)}. Each call first switches its browser
 * to this tab, so the tabs of one browser can be used in turn.
 *
 * <p>Vaadin's text fields are web components whose {@code <input>} is a light-DOM child, so plain CSS
 * reaches it. Waits are explicit conditions with a deadline, polled every 50 ms, never sleeps.
 */
final class ChatPage extends BrowserTab {

    private static final By NAME = By.cssSelector("vaadin-text-field[placeholder='Your name'] input");
    private static final By MESSAGE = By.cssSelector("vaadin-text-field[placeholder='Your message...'] input");
    private static final By VIEW = By.xpath("//vaadin-vertical-layout[div[contains(@class, 'message-scroller')]]");
    private static final By SEND = By.xpath("//vaadin-button[normalize-space()='Send']");
    /** The text of each message as rendered, in one round trip rather than one per message. */
    private static final String SHOWN_MESSAGES = """
            return Array.from(document.querySelectorAll('vaadin-vertical-layout.messages > p'), p => p.innerText)""";

    private final String url;

    private ChatPage(Browser browser, String handle, String url) {
        super(browser, handle);
        this.url = url;
    }

    /**
     * Opens the chat in {@code browser}: in its first tab, then in a new tab each time, and waits until the
     * chat is shown.
     */
    static ChatPage open(Browser browser, String url) {
        ChatPage page = browser.openTab(url, (b, tab) -> new ChatPage(b, tab, url));
        page.awaitShown();
        return page;
    }

    /** Waits until the chat view is rendered: the server has built it, so this page is subscribed. */
    void awaitShown() {
        until(ExpectedConditions.and(
                ExpectedConditions.visibilityOfElementLocated(MESSAGE),
                ExpectedConditions.visibilityOfElementLocated(SEND)));
    }

    /** Opens the chat again in a new tab of the same browser, hence in the same Vaadin session. */
    ChatPage openChatInNewTab() {
        return open(browser(), url);
    }

    /** Types into the name field. */
    ChatPage enterName(String name) {
        driver().findElement(NAME).sendKeys(name);
        return this;
    }

    /**
     * Types a message, clicks Send, and waits until the server has taken it (it empties the field), so
     * the next message typed cannot mix with this one.
     */
    void send(String text) {
        WebDriver driver = driver();
        driver.findElement(MESSAGE).sendKeys(text);
        driver.findElement(SEND).click();
        until(d -> messageFieldValue().isEmpty());
    }

    /** Types a message and presses Enter, then returns at once. */
    void typeAndPressEnter(String text) {
        driver().findElement(MESSAGE).sendKeys(text, Keys.ENTER);
    }

    /** What the message field holds in the browser. */
    String messageFieldValue() {
        return driver().findElement(MESSAGE).getDomProperty("value");
    }

    /** The messages this page shows, top to bottom, as rendered text. */
    List<String> messages() {
        return texts(SHOWN_MESSAGES);
    }

    /** Waits until this page shows exactly {@code expected}, in that order; fails showing what it shows instead. */
    void awaitMessages(String... expected) {
        awaitMessages(TIMEOUT, expected);
    }

    /** {@link #awaitMessages(String...)} with a deadline of its own. */
    void awaitMessages(Duration timeout, String... expected) {
        awaitTexts("messages", SHOWN_MESSAGES, timeout, List.of(expected));
    }

    /** Elements matching a CSS selector inside the message list. */
    List<WebElement> elementsInMessages(String selector) {
        return driver().findElements(By.cssSelector("vaadin-vertical-layout.messages " + selector));
    }

    /** Reloads this tab, as F5 does, and waits until the chat is shown again. */
    void reload() {
        driver().navigate().refresh();
        awaitShown();
    }

    /**
     * A PNG of the chat view alone (messages, fields and button, not the empty page below), laid out in a
     * window {@code width} pixels wide. Nothing is focused or hovered and no transition is running, so
     * two runs give the same picture.
     */
    byte[] screenshotOfTheChat(int width) {
        return screenshot(VIEW, width);
    }
}
