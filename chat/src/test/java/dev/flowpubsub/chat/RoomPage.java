package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.Browser;
import dev.flowpubsub.testsupport.BrowserTab;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;

import java.util.List;

/**
 * The rooms in one browser tab, used as a person would: on the rooms page type a name and click a room;
 * in a room read who is here and the messages, send, go to another room. Made by
 * {@link #open(Browser, String)}.
 */
final class RoomPage extends BrowserTab {

    private static final By NAME = By.cssSelector("vaadin-text-field[placeholder='Your name'] input");
    /* the room's message input (Vaadin's, from flow-pubsub-collaboration): its text area and its Send button */
    private static final By MESSAGE = By.cssSelector("vaadin-message-input textarea");
    private static final By SEND = By.cssSelector("vaadin-message-input vaadin-message-input-button");
    private static final By TITLE = By.cssSelector("vaadin-vertical-layout.room h2");
    private static final By VIEW = By.cssSelector("vaadin-vertical-layout.room");
    private static final String SHOWN_MESSAGES = """
            const list = document.querySelector('vaadin-message-list.messages');
            return list && list.items ? list.items.map(item => item.userName + ': ' + item.text) : []""";
    private static final String SHOWN_PEOPLE = """
            const group = document.querySelector('vaadin-avatar-group.people');
            return group && group.items ? group.items.map(item => item.name) : []""";

    private RoomPage(Browser browser, String handle) {
        super(browser, handle);
    }

    /** Opens the rooms page ({@code url} ends in {@code /rooms}) in {@code browser}, and waits until it is shown. */
    static RoomPage open(Browser browser, String url) {
        RoomPage page = browser.openTab(url, RoomPage::new);
        page.awaitRoomsPage();
        return page;
    }

    /** Waits until the rooms page, with its name field and a button per room, is rendered. */
    void awaitRoomsPage() {
        until(ExpectedConditions.and(
                ExpectedConditions.visibilityOfElementLocated(NAME),
                ExpectedConditions.visibilityOfElementLocated(roomButton("general"))));
    }

    /** On the rooms page: types a name, clicks the room, and waits until the room is shown (this page is in it). */
    RoomPage enter(String name, String room) {
        WebDriver driver = driver();
        driver.findElement(NAME).sendKeys(Keys.chord(Keys.CONTROL, "a"), name);
        driver.findElement(roomButton(room)).click();
        awaitIn(room);
        return this;
    }

    /** In a room: clicks another room's link and waits until that room is shown. */
    void goTo(String room) {
        driver().findElement(By.xpath("//a[normalize-space()='# " + room + "']")).click();
        awaitIn(room);
    }

    private void awaitIn(String room) {
        until(ExpectedConditions.and(
                ExpectedConditions.textToBe(TITLE, "# " + room),
                ExpectedConditions.visibilityOfElementLocated(MESSAGE)));
    }

    /** Types a message, clicks Send, and waits until the server has taken it (it empties the field). */
    void send(String text) {
        WebDriver driver = driver();
        driver.findElement(MESSAGE).sendKeys(text);
        driver.findElement(SEND).click();
        until(d -> d.findElement(MESSAGE).getDomProperty("value").isEmpty());
    }

    /** The message list as rendered, top to bottom, each as "name: text". */
    List<String> messages() {
        return texts(SHOWN_MESSAGES);
    }

    /** Waits until the message list shows exactly {@code expected}, in that order. */
    void awaitMessages(String... expected) {
        awaitTexts("messages", SHOWN_MESSAGES, TIMEOUT, List.of(expected));
    }

    /** Who "Here now" (the avatars) shows, in order. */
    List<String> people() {
        return texts(SHOWN_PEOPLE);
    }

    /** Waits until "Here now" (the avatars) shows exactly {@code expected}, in that order. */
    void awaitPeople(String... expected) {
        awaitTexts("people here", SHOWN_PEOPLE, TIMEOUT, List.of(expected));
    }

    /** A PNG of the room view (links, title, messages, people, message field), {@code width} pixels wide. */
    byte[] screenshotOfTheRoom(int width) {
        return screenshot(VIEW, width);
    }

    private static By roomButton(String room) {
        return By.xpath("//vaadin-button[normalize-space()='# " + room + "']");
    }
}
