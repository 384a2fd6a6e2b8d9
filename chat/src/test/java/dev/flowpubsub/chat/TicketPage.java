package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.Browser;
import dev.flowpubsub.testsupport.BrowserTab;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.List;

/** The shared ticket form ({@code /ticket/<id>}) in one browser tab, as a person uses it. */
final class TicketPage extends BrowserTab {

    /* the label is a property of the field and a slotted <label> inside it, not an attribute */
    private static final By TITLE = By.xpath("//vaadin-text-field[label[normalize-space()='Title']]//input");
    private static final By ESTIMATE = By.xpath(
            "//vaadin-number-field[label[normalize-space()='Estimate (days)']]//input");
    /**
     * Who the field highlighter shows on the title field: the users the server set through its client API
     * ({@code setUsers}), which the web component keeps on the field's highlighter controller.
     */
    private static final String TITLE_MARKERS = """
            const field = [...document.querySelectorAll('vaadin-text-field')].find(f => f.label === 'Title');
            const highlighter = field && field.hasAttribute('has-highlighter') && field._highlighterController;
            return highlighter ? highlighter.users.map(user => user.name) : ['no highlighter'];
            """;
    private static final By COMMENT = By.cssSelector("vaadin-message-input textarea");
    private static final String COMMENTS = """
            const list = document.querySelector('vaadin-message-list.comments');
            return list && list.items ? list.items.map(item => item.userName + ': ' + item.text) : [];
            """;
    private static final String AVATARS = """
            const group = document.querySelector('vaadin-avatar-group');
            return group && group.items ? group.items.map(item => item.name) : [];
            """;

    private TicketPage(Browser browser, String handle) {
        super(browser, handle);
    }

    static TicketPage open(Browser browser, String url) {
        TicketPage page = browser.openTab(url, TicketPage::new);
        page.until(ExpectedConditions.visibilityOfElementLocated(TITLE));
        return page;
    }

    /**
     * Ann's and Bob's pages of one ticket, as both tests of it begin: each shows both; a title Ann types shows on Bob's
     * page; Bob's marker shows on Ann's while he is in the title, and goes when he leaves it.
     */
    static void editTogether(TicketPage ann, TicketPage bob, String title) {
        ann.awaitAvatars("Ann", "Bob");
        bob.awaitAvatars("Ann", "Bob");
        ann.typeTitle(title);
        bob.awaitTitle(title);
        bob.enterTitle();
        ann.awaitTitleMarkers("Bob");
        bob.leaveTitle();
        ann.awaitTitleMarkers();
    }

    void typeTitle(String text) {
        driver().findElement(TITLE).sendKeys(Keys.chord(Keys.CONTROL, "a"), text, Keys.TAB);
    }

    /** Types into the title field without leaving it: the browser keeps the text until the field's change. */
    void typeInTitle(String text) {
        driver().findElement(TITLE).sendKeys(Keys.chord(Keys.CONTROL, "a"), text);
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

    /** Types a comment and sends it with Enter, as the message input offers. */
    void comment(String text) {
        driver().findElement(COMMENT).sendKeys(text, Keys.ENTER);
    }

    void awaitComments(String... comments) {
        awaitTexts("comments", COMMENTS, TIMEOUT, List.of(comments));
    }

    void awaitAvatars(String... names) {
        awaitTexts("avatars", AVATARS, TIMEOUT, List.of(names));
    }
}
