package dev.flowpubsub.chat;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubStats;
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
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chat end to end: the application on a random port, real headless Chromium, server push included.
 * Each browser is another person, with its own cookies and so its own Vaadin session; the Karibu tests in
 * {@link ChatViewTest} cover the server side alone. All tests share one Spring context, hence one hub, so
 * they assert on its counts relative to what was there before the test, and after each test they leave
 * their pages and wait until the hub has dropped them.
 * (see {@link ChatOnRandomPort}).
 */
@ChatOnRandomPort
@Tag("integration")
class ChatBrowserTest {

    private static final Duration FEW_SECONDS = Duration.ofSeconds(5);

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    @LocalServerPort
    int port;

    @Autowired
    PubSubHub hub;

    private int pagesBefore;
    private long subscriptionsBefore;

    @BeforeEach
    void countWhatTheHubHoldsAlready() {
        PubSubStats stats = hub.stats();
        pagesBefore = stats.subscribedUis();
        subscriptionsBefore = stats.subscriptions();
    }

    @AfterEach
    void leaveEveryPage_andWaitForTheServerToDropThem() {
        try {
            browsers.leaveAllPages();
            awaitHubHolds(pagesBefore);
        } finally {
            browsers.closeAll();
        }
    }

    /**
     * Three people, one conversation: a message reaches the other browsers by push alone; Enter sends what was typed
     * and empties the field; markup in a name or a message shows as text and runs no script. One test rather than
     * three, as opening three browsers takes most of each.
     */
    @Test
    void aMessageReachesTheOthersByPushAlone_enterSendsWhatWasTyped_andMarkupShowsAsTextRunningNoScript() {
        List<ChatPage> pages = openChatInThreeBrowsers();
        ChatPage ann = pages.get(0);

        ann.enterName("Ann").send("Hello, everyone");
        // Bob's and Cid's pages make no request of their own: only server push can bring the message there.
        for (ChatPage page : pages) {
            page.awaitMessages(FEW_SECONDS, "Ann: Hello, everyone");
        }

        ann.typeAndPressEnter("first, with Enter");
        for (ChatPage page : pages) {
            page.awaitMessages("Ann: Hello, everyone", "Ann: first, with Enter");
        }
        assertThat(ann.messageFieldValue()).as("the message field after sending").isEmpty();
        // a stale value would send "first, with Enter" again, or nothing
        ann.typeAndPressEnter("second, with Enter");
        for (ChatPage page : pages) {
            page.awaitMessages("Ann: Hello, everyone", "Ann: first, with Enter", "Ann: second, with Enter");
        }

        String markup = "<b>x</b><img src=x onerror=\"window.injected=true;document.title='injected'\">";
        pages.get(2).enterName("<i>Eve</i>").send(markup);
        for (ChatPage page : pages) {
            page.awaitMessages("Ann: Hello, everyone", "Ann: first, with Enter", "Ann: second, with Enter",
                    "<i>Eve</i>: " + markup);
            assertThat(page.elementsInMessages("b, i, img")).as("elements made from the message in %s", page).isEmpty();
            assertThat(page.script("return window.injected === undefined && document.title === 'Flet Chat'"))
                    .as("no script from the message ran in %s", page).isEqualTo(true);
        }
    }

    @Test
    void tenMessagesSentQuickly_arriveComplete_andInTheSameOrder_inEveryBrowser() {
        List<ChatPage> pages = openChatInThreeBrowsers();
        String[] names = {"Ann", "Bob", "Cid"};
        for (int i = 0; i < names.length; i++) {
            pages.get(i).enterName(names[i]);
        }

        // Round robin over the three senders, each message right after the server took the previous one.
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            int sender = (i - 1) % names.length;
            pages.get(sender).send("message " + i);
            sent.add(names[sender] + ": message " + i);
        }

        for (ChatPage page : pages) {
            page.awaitMessages(sent.toArray(String[]::new));
        }
    }

    @Test
    void manyMessages_scrollInsideThePage_keepingTheNewestAndTheInputRowInView() {
        List<ChatPage> pages = openChatInThreeBrowsers();
        ChatPage ann = pages.get(0).enterName("Ann");
        List<String> sent = new ArrayList<>();
        for (int i = 1; i <= 60; i++) {
            hub.sendAll("Server: line " + i); // more than a screen holds
            sent.add("Server: line " + i);
        }
        ann.send("the newest");
        sent.add("Ann: the newest");

        for (ChatPage page : pages) {
            page.awaitMessages(sent.toArray(String[]::new));
            assertThat(page.script("""
                    const inView = el => { const r = el.getBoundingClientRect();
                        return r.top >= 0 && r.bottom <= window.innerHeight; };
                    const shown = document.querySelectorAll('vaadin-vertical-layout.messages > p');
                    return inView(shown[shown.length - 1])
                        && !inView(shown[0])
                        && inView(document.querySelector("vaadin-text-field[placeholder='Your message...']"))
                        && document.scrollingElement.scrollHeight <= window.innerHeight""")).as(
                    "in %s: the newest message and the message field in view, the oldest scrolled away, "
                            + "and the page itself not scrolling", page).isEqualTo(true);
        }
    }

    @Test
    void afterOneBrowserClosesItsTab_theOthersStillReceive_andTheServerHoldsNothingOfTheClosedPage() {
        List<ChatPage> pages = openChatInThreeBrowsers();
        ChatPage ann = pages.get(0);
        ChatPage bob = pages.get(1);
        ChatPage cid = pages.get(2);

        // Closing the tab makes Chromium run the page's unload handlers: Vaadin's client sends its UNLOAD
        // beacon, the server closes that UI and detaches it, and the hub drops its subscription.
        cid.close();
        awaitHubHolds(pagesBefore + 2);

        ann.enterName("Ann").send("Cid has left");
        ann.awaitMessages("Ann: Cid has left");
        bob.awaitMessages("Ann: Cid has left");
        assertThat(hub.stats().subscriptions()).isEqualTo(subscriptionsBefore + 2);
    }

    @Test
    void reloadedPage_receivesEachNewMessageExactlyOnce() {
        List<ChatPage> pages = openChatInThreeBrowsers();
        ChatPage ann = pages.get(0);
        ChatPage bob = pages.get(1).enterName("Bob");
        bob.send("before the reload");
        ann.awaitMessages("Bob: before the reload");

        ann.reload();
        // the reloaded page is a new UI; the old one is closed by its unload beacon, not left subscribed
        awaitHubHolds(pagesBefore + 3);
        List<String> expected = new ArrayList<>(ann.messages()); // whatever a fresh page starts with
        bob.send("after the reload");
        ann.enterName("Ann").send("got it");
        expected.addAll(List.of("Bob: after the reload", "Ann: got it"));

        // once "got it" is shown, any duplicate of the message before it would already be there
        ann.awaitMessages(expected.toArray(String[]::new));
        for (ChatPage page : pages.subList(1, 3)) {
            page.awaitMessages("Bob: before the reload", "Bob: after the reload", "Ann: got it");
        }
    }

    @Test
    void twoTabsOfOneBrowserSession_eachReceive() {
        List<ChatPage> pages = browsers.openInNewBrowsers(2, url(), ChatPage::open);
        ChatPage annFirstTab = pages.get(0);
        ChatPage bob = pages.get(1);
        ChatPage annSecondTab = annFirstTab.openChatInNewTab();
        awaitHubHolds(pagesBefore + 3);

        bob.enterName("Bob").send("Hi Ann");
        annFirstTab.awaitMessages("Bob: Hi Ann");
        annSecondTab.awaitMessages("Bob: Hi Ann");

        annSecondTab.enterName("Ann").send("Hi Bob, from my second tab");
        for (ChatPage page : List.of(annFirstTab, annSecondTab, bob)) {
            page.awaitMessages("Bob: Hi Ann", "Ann: Hi Bob, from my second tab");
        }
    }

    @Test
    void aConversation_readsTheSameInEveryBrowser_andIsPicturedForTheReadme() throws IOException {
        List<ChatPage> pages = openChatInThreeBrowsers();
        String[][] conversation = {
                {"Ann", "Hi both! Is the new release out?"},
                {"Bob", "Yes, since this morning."},
                {"Cid", "And every message reaches all of us by server push."},
        };

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < conversation.length; i++) {
            pages.get(i).enterName(conversation[i][0]).send(conversation[i][1]);
            expected.add(conversation[i][0] + ": " + conversation[i][1]);
        }
        List<byte[]> shots = new ArrayList<>();
        for (ChatPage page : pages) {
            page.awaitMessages(expected.toArray(String[]::new));
            shots.add(page.screenshotOfTheChat(560));
        }

        Path png = Screenshots.sideBySideInDocs("chat.png", shots);
        assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(3 * 500);
    }

    // ---- helpers --------------------------------------------------------------------------------

    private String url() {
        return "http://localhost:" + port + "/";
    }

    /** Three people open the chat, each in a browser of their own; returns once the hub holds all three pages. */
    private List<ChatPage> openChatInThreeBrowsers() {
        List<ChatPage> pages = browsers.openInNewBrowsers(3, url(), ChatPage::open);
        awaitHubHolds(pagesBefore + 3);
        return pages;
    }

    /** Waits until the hub holds subscriptions for exactly {@code pages} pages (UIs), one subscription each. */
    private void awaitHubHolds(int pages) {
        await().atMost(ChatPage.TIMEOUT).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            PubSubStats stats = hub.stats();
            assertThat(stats.subscribedUis()).as("pages the hub holds, in %s", stats).isEqualTo(pages);
            assertThat(stats.subscriptions()).as("subscriptions, one per chat page, in %s", stats)
                    .isEqualTo(subscriptionsBefore + (pages - pagesBefore));
        });
    }
}
