package dev.flowpubsub.chat;

import dev.flowpubsub.Presence;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.testsupport.BrowserTab;
import dev.flowpubsub.testsupport.Browsers;
import dev.flowpubsub.testsupport.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A browser that goes away without saying so: killed (SIGKILL, so no unload, no beacon; the kernel closes its
 * sockets), or cut off from the server for a moment. The first leaves the room once the disconnect grace has passed
 * (8 s in these tests, see {@link ChatOnRandomPort}); the second, back within the grace, changes nothing. Also checks,
 * on every Vaadin upgrade, the push-connection hook these rely on ({@code dev.flowpubsub.internal.PushWatch}).
 */
@ChatOnRandomPort
@Tag("integration")
class PushWatchBrowserTest {

    private static final Duration GRACE = Duration.ofSeconds(8);

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    PubSubHub hub;

    @AfterEach
    void leaveEveryPage_andWaitUntilTheRoomsAreEmpty() {
        try {
            browsers.leaveAllPages();
            await().atMost(GRACE.plus(BrowserTab.TIMEOUT)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                for (String room : RoomsView.ROOMS) {
                    assertThat(hub.presence("room:" + room)).as("present in %s", room).isEmpty();
                }
            });
        } finally {
            browsers.closeAll();
        }
    }

    @Test
    void aKilledBrowser_leavesTheRoomOnceTheGraceHasPassed() {
        List<RoomPage> pages = browsers.openInNewBrowsers(2, "http://localhost:" + port + "/rooms", RoomPage::open);
        RoomPage ann = pages.get(0).enter("Ann", "general");
        RoomPage bob = pages.get(1).enter("Bob", "general");
        ann.awaitPeople("Ann", "Bob");

        long killedAt = System.nanoTime();
        bob.browser().kill();

        await().atMost(GRACE.plus(BrowserTab.TIMEOUT)).pollInterval(Duration.ofMillis(100))
                .until(() -> ann.people().equals(List.of("Ann")));
        Duration gone = Duration.ofNanos(System.nanoTime() - killedAt);
        assertThat(gone).as("Bob stays listed for the grace").isGreaterThanOrEqualTo(GRACE.minusMillis(500));
        ann.awaitPeople("Ann");
    }

    @Test
    void aBrowserCutOffForAMoment_andBackWithinTheGrace_neverLeftTheRoom() throws InterruptedException {
        try (TcpProxy bobsNetwork = new TcpProxy(port)) {
            // in "random": the other browser tests with this server only come and go there, so Bob's message, which
            // the room's history keeps for this server's life, shows nowhere they look
            RoomPage ann = browsers.openInNewBrowsers(1, "http://localhost:" + port + "/rooms", RoomPage::open).getFirst()
                    .enter("Ann", "random");
            RoomPage bob = browsers.openInNewBrowsers(1, "http://localhost:" + bobsNetwork.port() + "/rooms", RoomPage::open)
                    .getFirst().enter("Bob", "random");
            ann.awaitPeople("Ann", "Bob");
            List<String> entries = entries("room:random"); // a leave and a join again would change Bob's

            long cutAt = System.nanoTime();
            bobsNetwork.cut(); // his push connection drops, and nothing gets through for a second
            Thread.sleep(1_000);
            bobsNetwork.restore();
            // past the grace since the cut: had he left, he would be gone by now
            Thread.sleep(Math.max(0, GRACE.plusSeconds(2).toMillis() - (System.nanoTime() - cutAt) / 1_000_000));

            assertThat(entries("room:random")).as("the same presence entries: nobody left and came back")
                    .isEqualTo(entries);
            ann.awaitPeople("Ann", "Bob");
            bob.send("still here");
            ann.awaitMessages("Bob: still here");
        }
    }

    /** The ids of the presence entries on {@code topic}, sorted. */
    private List<String> entries(String topic) {
        return hub.presence(topic).stream().map(Presence::id).sorted().toList();
    }
}
