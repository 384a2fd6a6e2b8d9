package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.BrowserTab;
import dev.flowpubsub.testsupport.Browsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.Dimension;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The chat as a new user meets it after {@code ./mvnw -pl chat -am spring-boot:run}: in development mode, with
 * Vaadin's development tools on, whose toolbar floats over the bottom right corner of the page. The chat's and the
 * rooms' Send buttons sit in that corner; covered by the toolbar, a click on Send reached the toolbar, and only
 * Enter sent. Each test waits until the toolbar is drawn, then clicks Send as a mouse does: Selenium's
 * {@code click()} presses at the button's centre, and fails with "element click intercepted" when another element
 * is on top there.
 *
 * <p>A Spring context of its own (the other browser tests turn the development tools off, see
 * {@link ChatOnRandomPort}), hence a hub of its own.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "vaadin.devmode.devTools.enabled=true")
@Tag("integration")
class DevModeBrowserTest {

    /**
     * Whether what a click near the page's bottom right corner reaches is the development tools: their elements
     * cover the whole page but take no pointer events, except where their toolbar is drawn.
     */
    private static final String TOOLBAR_IN_THE_CORNER = """
            const at = document.elementFromPoint(window.innerWidth - 32, window.innerHeight - 32);
            return at !== null && ['VAADIN-DEV-TOOLS', 'COPILOT-MAIN'].includes(at.tagName)""";

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @AfterEach
    void leaveEveryPage() {
        try {
            browsers.leaveAllPages();
        } finally {
            browsers.closeAll();
        }
    }

    @Test
    void clickingSend_withTheDevelopmentToolsShown_sendsTheMessage() {
        ChatPage ann = browsers.openInNewBrowsers(1, url("/"), ChatPage::open).getFirst();
        awaitTheDevelopmentToolbar(ann);

        ann.enterName("Ann").send("Hello, clicked");

        ann.awaitMessages("Ann: Hello, clicked");
    }

    @Test
    void clickingSendInARoom_withTheDevelopmentToolsShown_sendsTheMessage() {
        RoomPage ann = browsers.openInNewBrowsers(1, url("/rooms"), RoomPage::open).getFirst().enter("Ann", "random");
        awaitTheDevelopmentToolbar(ann);

        ann.send("Hello, clicked");

        ann.awaitMessages("Ann: Hello, clicked");
    }

    /** In a window of a common laptop's size, waits until the development toolbar is drawn at the bottom right. */
    private static void awaitTheDevelopmentToolbar(BrowserTab page) {
        page.driver().manage().window().setSize(new Dimension(1200, 800));
        page.until(driver -> Boolean.TRUE.equals(page.script(TOOLBAR_IN_THE_CORNER)));
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }
}
