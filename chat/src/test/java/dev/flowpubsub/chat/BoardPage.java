package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.Browser;
import dev.flowpubsub.testsupport.BrowserTab;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.List;

/**
 * The shared board ({@code /board}) in one browser tab, used as a person would: add cards, vote, move them, rename
 * the board; read the cards, the title and who is looking. Made by {@link #open(Browser, String)}.
 */
final class BoardPage extends BrowserTab {

    private static final By NEW_CARD = By.cssSelector("vaadin-text-field[placeholder='A new card...'] input");
    private static final By ADD = By.xpath("//vaadin-button[normalize-space()='Add card']");
    private static final By TITLE_FIELD = By.cssSelector("vaadin-text-field[placeholder='Board title'] input");
    private static final By TITLE = By.cssSelector("vaadin-vertical-layout.board > h2");
    /** Each card as "text (votes)", top to bottom, in one round trip. */
    private static final String SHOWN_CARDS = """
            return Array.from(document.querySelectorAll('vaadin-vertical-layout.cards > .card'),
                card => card.querySelector('.text').innerText + ' (' + card.querySelector('.votes').innerText + ')')""";
    private static final String SHOWN_PEOPLE = """
            return Array.from(document.querySelectorAll('vaadin-horizontal-layout.people > span'), s => s.innerText)""";
    /** Clicks a card's button (arguments: the card's text, the button's text, how many times) at once, in the page. */
    private static final String CLICK_ON_CARD = """
            const card = Array.from(document.querySelectorAll('vaadin-vertical-layout.cards > .card'))
                .find(card => card.querySelector('.text').innerText === arguments[0]);
            const button = Array.from(card.querySelectorAll('vaadin-button'))
                .find(button => button.innerText.trim() === arguments[1]);
            for (let i = 0; i < arguments[2]; i++) {
                button.click();
            }""";

    private BoardPage(Browser browser, String handle) {
        super(browser, handle);
    }

    /** Opens the board ({@code url} ends in {@code /board}) in {@code browser}, and waits until it is shown. */
    static BoardPage open(Browser browser, String url) {
        BoardPage page = browser.openTab(url, BoardPage::new);
        page.until(ExpectedConditions.and(
                ExpectedConditions.visibilityOfElementLocated(NEW_CARD),
                ExpectedConditions.visibilityOfElementLocated(ADD)));
        return page;
    }

    /**
     * Adds cards one after the other, without waiting for any other page: for each, types it, clicks "Add card" and
     * waits until this server has taken it (it empties the field), so the next one typed cannot mix with it.
     */
    void add(String... texts) {
        WebDriver driver = driver();
        for (String text : texts) {
            driver.findElement(NEW_CARD).sendKeys(text);
            driver.findElement(ADD).click();
            until(d -> d.findElement(NEW_CARD).getDomProperty("value").isEmpty());
        }
    }

    /** Clicks the card's "+1" {@code times} times in a row, as fast as the page takes clicks. */
    void vote(String card, int times) {
        browser().on(this).executeScript(CLICK_ON_CARD, card, "+1", times);
    }

    /** Clicks the card's "Up" or "Down". */
    void move(String card, String upOrDown) {
        browser().on(this).executeScript(CLICK_ON_CARD, card, upOrDown, 1);
    }

    /** Types a new title and presses Enter. */
    void rename(String title) {
        driver().findElement(TITLE_FIELD).sendKeys(Keys.chord(Keys.CONTROL, "a"), title, Keys.ENTER);
    }

    /** The cards as rendered, top to bottom, each as "text (votes)". */
    List<String> cards() {
        return texts(SHOWN_CARDS);
    }

    /** Waits until the board shows exactly {@code expected}, in that order. */
    void awaitCards(List<String> expected) {
        awaitTexts("cards", SHOWN_CARDS, TIMEOUT, expected);
    }

    /** Waits until the board's heading reads {@code expected}. */
    void awaitTitle(String expected) {
        until(ExpectedConditions.textToBe(TITLE, expected));
    }

    /** Waits until "Looking now" lists exactly {@code expected}, in that order. */
    void awaitLooking(String... expected) {
        awaitTexts("people looking", SHOWN_PEOPLE, TIMEOUT, List.of(expected));
    }
}
