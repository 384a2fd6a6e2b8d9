package dev.flowpubsub.chat;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.testsupport.BrowserTab;
import dev.flowpubsub.testsupport.Browsers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rooms end to end, in real headless Chromium: who is here, and what was said before one came in.
 * Shares {@link ChatBrowserTest}'s Spring context (same properties), hence its hub; room history lives
 * as long as that hub, so each test talks in a room no other browser test talks in ({@code vaadin} here;
 * {@code general} only sees people come and go, which leaves no history).
 */
@ChatOnRandomPort
@Tag("integration")
class RoomsBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    PubSubHub hub;

    private int pagesBefore;

    @BeforeEach
    void countThePagesTheHubHoldsAlready() {
        pagesBefore = hub.stats().subscribedUis();
    }

    @AfterEach
    void leaveEveryPage_andWaitForTheServerToDropThem() {
        try {
            browsers.leaveAllPages();
            await().atMost(BrowserTab.TIMEOUT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                assertThat(hub.stats().subscribedUis()).as("pages the hub holds").isEqualTo(pagesBefore);
                for (String room : RoomsView.ROOMS) {
                    assertThat(hub.presence("room:" + room)).as("present in %s", room).isEmpty();
                }
            });
        } finally {
            browsers.closeAll();
        }
    }

    @Test
    void lateJoiner_seesWhatWasSaidBefore_andIsSeenComingIn_picturedForTheReadme() throws IOException {
        List<RoomPage> early = browsers.openInNewBrowsers(2, roomsUrl(), RoomPage::open);
        RoomPage ann = early.get(0).enter("Ann", "vaadin");
        RoomPage bob = early.get(1).enter("Bob", "vaadin");
        ann.send("Has anyone tried the rooms yet?");
        bob.send("Yes! Whoever comes in later gets the last 50 messages.");
        String[] conversation = {"Ann: Has anyone tried the rooms yet?",
                "Bob: Yes! Whoever comes in later gets the last 50 messages."};
        bob.awaitMessages(conversation);

        RoomPage cid = browsers.openInNewBrowsers(1, roomsUrl(), RoomPage::open).getFirst().enter("Cid", "vaadin");

        cid.awaitMessages(conversation); // history, though Cid's browser was not open when they were sent
        cid.awaitPeople("Ann", "Bob", "Cid");
        ann.awaitPeople("Ann", "Bob", "Cid");
        ann.awaitMessages(conversation[0], conversation[1]);
        bob.awaitMessages(conversation[0], conversation[1]);

        cid.send("Hi both, I read it all.");
        ann.awaitMessages(conversation[0], conversation[1], "Cid: Hi both, I read it all.");
        cid.awaitMessages(conversation[0], conversation[1], "Cid: Hi both, I read it all.");

        Path png = Screenshots.sideBySideInDocs("rooms.png",
                List.of(ann.screenshotOfTheRoom(600), cid.screenshotOfTheRoom(600)));
        assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(2 * 550);
    }

    @Test
    void presenceList_dropsSomeone_whenTheyCloseTheirTab() {
        List<RoomPage> pages = browsers.openInNewBrowsers(2, roomsUrl(), RoomPage::open);
        RoomPage ann = pages.get(0).enter("Ann", "general");
        RoomPage bob = pages.get(1).enter("Bob", "general");
        ann.awaitPeople("Ann", "Bob");
        bob.awaitPeople("Ann", "Bob");

        // Chromium runs the page's unload handlers: Vaadin's beacon closes Bob's UI, and his presence ends with it
        bob.close();

        ann.awaitPeople("Ann");
    }

    @Test
    void goingToAnotherRoomInTheSameTab_leavesTheFirst() {
        List<RoomPage> pages = browsers.openInNewBrowsers(2, roomsUrl(), RoomPage::open);
        RoomPage ann = pages.get(0).enter("Ann", "general");
        RoomPage bob = pages.get(1).enter("Bob", "general");
        ann.awaitPeople("Ann", "Bob");

        bob.goTo("random");

        ann.awaitPeople("Ann");
        bob.awaitPeople("Bob");
    }

    private String roomsUrl() {
        return "http://localhost:" + port + "/rooms";
    }
}
