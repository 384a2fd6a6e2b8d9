package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.Browsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.util.List;

/**
 * The shared ticket form in real headless Chromium, two browsers on one server: an edit shows in the other browser,
 * who is on the ticket shows in both (the avatar group), a field someone is in carries their marker in the other
 * browser, comments (the message list and input) show in both, and what one types in a field is never reset by
 * another's edit while one is in it (with {@code ValueChangeMode.ON_CHANGE}, the text stays in the browser until the
 * field's change). The marker is Vaadin's field highlighter, set from Java through its client API ({@code setUsers}):
 * this test pins that call.
 */
@ChatOnRandomPort
@Tag("integration")
class SharedFormBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @AfterEach
    void closeBrowsers() {
        browsers.closeAll();
    }

    @Test
    void anEditShowsInTheOtherBrowser_withWhoIsOnIt_theEditorsMarker_theComments_andAFieldOneIsInIsNeverReset() {
        List<RoomPage> rooms = browsers.openInNewBrowsers(2, "http://localhost:" + port + "/rooms", RoomPage::open);
        // a name chosen on the rooms page is the browser session's: the ticket, opened in another tab, shows it
        TicketPage ann = TicketPage.open(rooms.get(0).enter("Ann", "general").browser(), ticketUrl());
        TicketPage bob = TicketPage.open(rooms.get(1).enter("Bob", "general").browser(), ticketUrl());
        TicketPage.editTogether(ann, bob, "The printer is out, the fire too");

        ann.comment("Fire is out, printer is not");
        bob.comment("Ordering a new one");
        ann.awaitComments("Ann: Fire is out, printer is not", "Bob: Ordering a new one");
        bob.awaitComments("Ann: Fire is out, printer is not", "Bob: Ordering a new one");

        // what Bob types in a field is never reset by Ann's edit while he is in it, and is shared, last, when he leaves
        bob.enterTitle();
        bob.typeInTitle("Bob's draft");             // typed, not yet sent: the field keeps it in the browser
        ann.typeTitle("Ann's title");               // sent (Tab), while Bob is in the field
        ann.comment("sent after the title");        // once this shows on Bob's page, so has Ann's title reached it
        bob.awaitComments("Ann: Fire is out, printer is not", "Bob: Ordering a new one",
                "Ann: sent after the title");
        bob.awaitTitle("Bob's draft");              // not reset
        bob.leaveTitle();                           // his change goes, after Ann's: the last write wins on both
        ann.awaitTitle("Bob's draft");
        bob.awaitTitle("Bob's draft");
    }

    private String ticketUrl() {
        return "http://localhost:" + port + "/ticket/1";
    }
}
