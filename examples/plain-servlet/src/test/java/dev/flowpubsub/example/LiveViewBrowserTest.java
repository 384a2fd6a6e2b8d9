package dev.flowpubsub.example;

import dev.flowpubsub.testsupport.Browsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.LocalTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The example end to end, as the README runs it: {@link ExampleServer} on a free loopback port with a plain
 * VaadinServlet (no Spring), two real headless Chromium browsers (two people, two Vaadin sessions), push over
 * WebSocket. Neither page asks the server for anything while it waits: only push brings the clock and the words.
 */
@Tag("integration")
class LiveViewBrowserTest {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    private static ExampleServer server;

    @BeforeAll
    static void startTheExample() throws Exception {
        server = ExampleServer.start("127.0.0.1", 0);
    }

    @AfterAll
    static void stopTheExample() {
        if (server != null) {
            server.close();
        }
    }

    @AfterEach
    void leaveEveryPage() {
        try {
            browsers.leaveAllPages(); // their unload beacons close the UIs, so the hub drops them
        } finally {
            browsers.closeAll();
        }
    }

    @Test
    void theClockPublishedFromTheServiceInitListener_reachesBothPages_andAdvances() {
        List<LivePage> pages = openInTwoBrowsers();

        for (LivePage page : pages) {
            LocalTime first = page.awaitClockOtherThan(null);
            LocalTime next = page.awaitClockOtherThan(first);
            int secondsLater = Math.floorMod(next.toSecondOfDay() - first.toSecondOfDay(), 24 * 60 * 60);
            assertThat(secondsLater).as("seconds from %s to %s in %s", first, next, page).isBetween(1, 5);
        }
    }

    @Test
    void whatOnePageSays_showsUpInTheOther_andInItself() {
        List<LivePage> pages = openInTwoBrowsers();
        LivePage ann = pages.get(0);
        LivePage bob = pages.get(1);

        ann.say("Hello from Ann");
        bob.awaitSaid("Hello from Ann");
        ann.awaitSaid("Hello from Ann");

        bob.say("Hi Ann");
        ann.awaitSaid("Hello from Ann", "Hi Ann");
        bob.awaitSaid("Hello from Ann", "Hi Ann");
    }

    private List<LivePage> openInTwoBrowsers() {
        return browsers.openInNewBrowsers(2, "http://127.0.0.1:" + server.port() + "/", LivePage::open);
    }
}
