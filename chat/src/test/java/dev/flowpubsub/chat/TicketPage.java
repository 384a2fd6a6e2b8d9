package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.Browser;
import dev.flowpubsub.testsupport.BrowserTab;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.List;

/** The shared ticket form ({@code /ticket/<id>}) in one browser tab, as a person uses it. */
final class TicketPage extends BrowserTab {

    private static final By TITLE = By.cssSelector("vaadin-text-field[label='Title'] input");
    private static final By ESTIMATE = By.cssSelector("vaadin-number-field[label='Estimate (days)'] input");
    /** Who the field highlighter shows on the title field: the users the server set through its client API. */
    private static final String TITLE_MARKERS = """
            const field = document.querySelector("vaadin-text-field[label='Title']");
            const highlighter = field && field.querySelector('vaadin-field-highlighter');
            return highlighter && highlighter.users ? highlighter.users.map(user => user.name) : [];
            """;
    private static final String AVATARS = """
            const group = document.querySelector('vaadin-avatar-group');
            return group && group.items ? group.items.map(item => item.name) : [];
            """;

    private TicketPage(Browser browser, String handle) {
        super(browser, handle);
    }

    /** Goes, in the tab of {@code tab} (where a name was chosen on the rooms page), to the ticket at {@code url}. */
    static TicketPage goTo(BrowserTab tab, String url) {
        tab.driver().get(url);
        TicketPage page = new TicketPage(tab.browser(), tab.handle());
        page.until(ExpectedConditions.visibilityOfElementLocated(TITLE));
        return page;
    }

    static TicketPage open(Browser browser, String url) {
        TicketPage page = browser.openTab(url, TicketPage::new);
        page.until(ExpectedConditions.visibilityOfElementLocated(TITLE));
        return page;
    }

    void typeTitle(String text) {
        driver().findElement(TITLE).sendKeys(Keys.chord(Keys.CONTROL, "a"), text, Keys.TAB);
    }

    void enterTitle() {
        driver().findElement(TITLE).click();
    }

    void leaveTitle() {
        driver().findElement(ESTIMATE).click();
    }

    void awaitTitle(String expected) {
        until(driver -> expected.equals(driver.findElement(TITLE).getDomProperty("value")));
    }

    void awaitTitleMarkers(String... names) {
        awaitTexts("markers on the title", TITLE_MARKERS, TIMEOUT, List.of(names));
    }

    void awaitAvatars(String... names) {
        awaitTexts("avatars", AVATARS, TIMEOUT, List.of(names));
    }
}
