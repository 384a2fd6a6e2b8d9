package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.BrowserTab;
import dev.flowpubsub.testsupport.Browsers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two chat servers, each a JVM process of its own as in a real deployment, on one real engine (Redis in
 * {@link TwoServersBrowserTest}, PostgreSQL in {@link TwoServersOnPostgresBrowserTest}), and a browser on each: what
 * one person does on server A reaches the other person on server B, and back. No test here may pass through shared
 * memory: the two servers meet only in the engine, and the chat must behave the same on both engines.
 *
 * <p>The servers start once for the class ({@link ChatServer}: its own Vaadin project folder each, so the two
 * dev-mode servers write no file in common) and stop after it, also when a test or the start itself fails.
 * Without the engine or Chromium the class is skipped with one line saying what to install; with {@code CI=true} it
 * fails instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Tag("integration")
abstract class TwoChatServersBrowserTests {

    @RegisterExtension
    static final Browsers browsers = new Browsers();

    private ChatServer a;
    private ChatServer b;

    /** Starts the engine the two servers share. */
    protected abstract void startEngine();

    /** Starts (without waiting) the chat server {@code name} on the engine. */
    protected abstract ChatServer startServer(String name);

    /** Stops the engine. */
    protected abstract void stopEngine();

    @BeforeAll
    void startTheEngine_andTwoChatServersOnIt() {
        startEngine();
        a = startServer("a");
        b = startServer("b");
        // started together, awaited together: on two cores a start is mostly CPU, yet they overlap on I/O
        CompletableFuture.allOf(CompletableFuture.runAsync(a::awaitReady), CompletableFuture.runAsync(b::awaitReady)).join();
    }

    @AfterAll
    void stopTheServers_andTheEngine() {
        // b, a, then the engine; each even if another fails
        try {
            try {
                if (b != null) {
                    b.close();
                }
            } finally {
                if (a != null) {
                    a.close();
                }
            }
        } finally {
            stopEngine();
        }
    }

    @AfterEach
    void leaveEveryPage_andWaitUntilBothServersDroppedThem() {
        try {
            browsers.leaveAllPages();
            await().atMost(BrowserTab.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                assertThat(a.pages()).as("pages held by %s", a).isZero();
                assertThat(b.pages()).as("pages held by %s", b).isZero();
            });
        } finally {
            browsers.closeAll();
        }
    }

    @Test
    void chatMessage_sentOnServerA_reachesABrowserOnServerB_andTheReplyComesBack() {
        List<ChatPage> pages = browsers.openInNewBrowsers(List.of(a.url("/"), b.url("/")), ChatPage::open);
        ChatPage annOnA = pages.get(0);
        ChatPage bobOnB = pages.get(1);

        annOnA.enterName("Ann").send("Hello from server A");
        bobOnB.awaitMessages("Ann: Hello from server A");

        bobOnB.enterName("Bob").send("Hello back from server B");
        annOnA.awaitMessages("Ann: Hello from server A", "Bob: Hello back from server B");
        bobOnB.awaitMessages("Ann: Hello from server A", "Bob: Hello back from server B");
    }

    /**
     * A room, then a ticket, in the same two browsers (one on each server): one test rather than two, as opening the
     * browsers and entering the rooms takes most of the time.
     */
    @Test
    void roomThenTicket_acrossServers_showWhoIsHereAndWhatWasSaid_andAnEditOnAShowsOnBWithTheEditorsMarker() {
        RoomPage annOnA = browsers.openInNewBrowsers(List.of(a.url("/rooms")), RoomPage::open).getFirst().enter("Ann", "general");
        annOnA.send("Said on server A before anyone else came");
        annOnA.send("Still only me here");

        RoomPage bobOnB = browsers.openInNewBrowsers(List.of(b.url("/rooms")), RoomPage::open).getFirst().enter("Bob", "general");

        bobOnB.awaitMessages("Ann: Said on server A before anyone else came", "Ann: Still only me here");
        bobOnB.awaitPeople("Ann", "Bob"); // Ann is present on server A
        annOnA.awaitPeople("Ann", "Bob"); // Bob is present on server B
        annOnA.awaitMessages("Ann: Said on server A before anyone else came", "Ann: Still only me here");

        bobOnB.send("Hi Ann, I read it on server B");
        annOnA.awaitMessages("Ann: Said on server A before anyone else came", "Ann: Still only me here", "Bob: Hi Ann, I read it on server B");

        // the ticket, in a tab of each browser: who is on it, an edit, the editor's marker, comments
        TicketPage annOnTicket = TicketPage.open(annOnA.browser(), a.url("/ticket/2"));
        TicketPage bobOnTicket = TicketPage.open(bobOnB.browser(), b.url("/ticket/2"));
        TicketPage.editTogether(annOnTicket, bobOnTicket, "Dark mode, typed on server A");

        annOnTicket.comment("Posted on server A");
        annOnTicket.awaitComments("Ann: Posted on server A");
        bobOnTicket.comment("Answered on server B");
        annOnTicket.awaitComments("Ann: Posted on server A", "Bob: Answered on server B");
        bobOnTicket.awaitComments("Ann: Posted on server A", "Bob: Answered on server B");

        // Bob closes his tabs: he leaves the ticket and the room on server A too
        bobOnTicket.close();
        annOnTicket.awaitAvatars("Ann");
        bobOnB.close();
        annOnA.awaitPeople("Ann");
        annOnA.awaitMessages("Ann: Said on server A before anyone else came", "Ann: Still only me here", "Bob: Hi Ann, I read it on server B");
    }

    @Test
    void serverRestartedWithTheSameNodeId_isHeardAgain_bothWays_withItsNewPeoplePresent() {
        b.close();
        b = startServer("b").awaitReady(); // node chat-b again, as a StatefulSet pod restarts

        RoomPage annOnA = browsers.openInNewBrowsers(List.of(a.url("/rooms")), RoomPage::open).getFirst().enter("Ann", "random");
        RoomPage bobOnB = browsers.openInNewBrowsers(List.of(b.url("/rooms")), RoomPage::open).getFirst().enter("Bob", "random");
        annOnA.awaitPeople("Ann", "Bob");
        bobOnB.awaitPeople("Ann", "Bob");

        bobOnB.send("Back on the restarted server B");
        annOnA.awaitMessages("Bob: Back on the restarted server B");
        annOnA.send("Welcome back");
        annOnA.awaitMessages("Bob: Back on the restarted server B", "Ann: Welcome back");
        bobOnB.awaitMessages("Bob: Back on the restarted server B", "Ann: Welcome back");
    }

    /**
     * The shared board ({@code /board}) on both servers: one test rather than two, as opening two pages takes most of
     * its time. Texts start with what the test does, as the engine, and the board, live as long as the class.
     */
    @Test
    void boardEdits_showOnTheOtherServerInTheSameOrder_andBothEditingOneCardAtOnce_endTheSameOnBoth() {
        List<BoardPage> pages = browsers.openInNewBrowsers(List.of(a.url("/board"), b.url("/board")), BoardPage::open);
        BoardPage onA = pages.get(0);
        BoardPage onB = pages.get(1);
        List<String> expected = new ArrayList<>(onA.cards());
        onB.awaitCards(expected);
        onA.awaitLooking(ChatView.DEFAULT_NAME, ChatView.DEFAULT_NAME);

        // three added on A one after the other, without waiting for B: B shows them in the same order
        onA.add("board: one", "board: two", "board: three");
        expected.addAll(List.of("board: one (0)", "board: two (0)", "board: three (0)"));
        onB.awaitCards(expected);
        onB.add("board: from B");
        expected.add("board: from B (0)");
        onA.awaitCards(expected);

        // Both at once on card two: five votes each (its first votes make its count on both servers at the same
        // time), then A moves it down while B moves it up; whichever move lands last decides where it ends.
        CompletableFuture.allOf(
                CompletableFuture.runAsync(() -> {
                    onA.vote("board: two", 5);
                    onA.move("board: two", "Down");
                }),
                CompletableFuture.runAsync(() -> {
                    onB.vote("board: two", 5);
                    onB.move("board: two", "Up");
                })).join();
        // then a card added on each: a page that shows both has applied every write the two pages made before them
        onA.add("board: A is done");
        onB.add("board: B is done");
        await().atMost(BrowserTab.TIMEOUT).untilAsserted(() -> assertThat(onA.cards())
                .contains("board: two (10)", "board: A is done (0)", "board: B is done (0)"));
        List<String> settled = onA.cards();
        onB.awaitCards(settled); // the same cards, votes and order on both
        assertThat(settled.stream().filter(card -> card.startsWith("board: ")).limit(4)).containsExactlyInAnyOrder(
                "board: one (0)", "board: two (10)", "board: three (0)", "board: from B (0)");

        onB.rename("Renamed on server B");
        onA.awaitTitle("Renamed on server B");
    }
}
