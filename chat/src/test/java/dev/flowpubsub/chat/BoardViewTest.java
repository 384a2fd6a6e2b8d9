package dev.flowpubsub.chat;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.mock.MockedUI;
import com.vaadin.flow.component.HasText;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.router.RouterLink;
import dev.flowpubsub.testing.InMemoryEngine;
import dev.flowpubsub.testing.InMemoryTransport;
import dev.flowpubsub.testing.PubSubTesting;
import org.assertj.core.api.ThrowingConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import static com.github.mvysny.kaributesting.v10.ButtonKt._click;
import static com.github.mvysny.kaributesting.v10.HasValueUtilsKt._setValue;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.NavigatorKt.getCurrentView;
import static com.github.mvysny.kaributesting.v10.RouterLinkKt._click;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared board, used as people would: add cards, vote, move and remove them, rename the board, see who is
 * looking. Ann is the test's own session; Bob is a {@link ChatUser}, in a session (and on a thread) of his own. The
 * board's signals live in the hub's in-memory engine, so a write is confirmed on a thread of the engine's: what one
 * page does shows on the other a moment later, and every check of what a page shows waits for it ({@link #shows}).
 * A card's first vote is confirmed before it counts (see {@link BoardView}), and Karibu runs a page's queued work
 * only when that page's own thread looks at it: so the voter looks at their own vote first, as a person would.
 */
class BoardViewTest {

    @BeforeEach
    void openTheApp() {
        MockVaadin.setup(MockedUI::new, new MockChatServlet());
    }

    @AfterEach
    void closeTheApp() {
        MockVaadin.tearDown();
    }

    // ---- what a person does and sees ----------------------------------------------------------

    /** Picks a name on the rooms page (it is kept in the browser session), then opens the board. */
    private static Void openBoardAs(String name) {
        UI.getCurrent().navigate(RoomsView.class);
        _setValue(_get(TextField.class, spec -> spec.withPlaceholder("Your name")), name);
        _click(_get(Button.class, spec -> spec.withText("# general")));
        UI.getCurrent().navigate(BoardView.class);
        return null;
    }

    private static Void add(String text) {
        _setValue(_get(TextField.class, spec -> spec.withPlaceholder("A new card...")), text);
        _click(_get(Button.class, spec -> spec.withText("Add card")));
        return null;
    }

    /** Clicks one of a card's buttons: "+1", "Up", "Down" or "Remove". */
    private static Void click(String card, String button) {
        _click(_get(card(card), Button.class, spec -> spec.withText(button)));
        return null;
    }

    private static Void rename(String title) {
        _setValue(_get(TextField.class, spec -> spec.withPlaceholder("Board title")), title);
        return null;
    }

    /** The cards top to bottom, each as "text (votes)", after every pending delivery has run. */
    private static List<String> board() {
        PubSubTesting.deliverPending();
        return _find(HorizontalLayout.class, spec -> spec.withClasses("card")).stream()
                .map(card -> textOf(card, "text") + " (" + textOf(card, "votes") + ")").toList();
    }

    private static String title() {
        PubSubTesting.deliverPending();
        return _get(H2.class).getText();
    }

    /** The names under "Looking now", after every pending delivery has run. */
    private static List<String> looking() {
        PubSubTesting.deliverPending();
        return _get(HorizontalLayout.class, spec -> spec.withClasses("people")).getChildren()
                .map(person -> ((HasText) person).getText()).toList();
    }

    private static boolean enabled(String card, String button) {
        PubSubTesting.deliverPending();
        return _get(card(card), Button.class, spec -> spec.withText(button)).isEnabled();
    }

    private static HorizontalLayout card(String text) {
        return _find(HorizontalLayout.class, spec -> spec.withClasses("card")).stream()
                .filter(card -> textOf(card, "text").equals(text)).findFirst()
                .orElseThrow(() -> new AssertionError("no card '" + text + "' on the board: " + board()));
    }

    private static String textOf(HorizontalLayout card, String className) {
        return _get(card, Span.class, spec -> spec.withClasses(className)).getText();
    }

    /**
     * Waits until what {@code look} reads on a page passes {@code check}: another page's write shows once the engine
     * gave it back. Polled on the calling thread, where Karibu has the page's session.
     */
    private static <T> void shows(Callable<T> look, ThrowingConsumer<T> check) {
        await().atMost(Duration.ofSeconds(10)).pollInSameThread().pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> check.accept(look.call()));
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test
    void cardsAdded_showInTheOrderAdded_onEveryPage() {
        try (ChatUser bob = new ChatUser()) {
            openBoardAs("Ann");
            bob.does(() -> openBoardAs("Bob"));

            add("first");
            add("second");
            add("third");

            assertThat(board()).as("the writer's own page, at once").containsExactly("first (0)", "second (0)",
                    "third (0)");
            shows(() -> bob.does(BoardViewTest::board),
                    cards -> assertThat(cards).containsExactly("first (0)", "second (0)", "third (0)"));

            bob.does(() -> add("from Bob"));
            shows(BoardViewTest::board, cards -> assertThat(cards).containsExactly("first (0)", "second (0)",
                    "third (0)", "from Bob (0)"));
            assertThat(_get(card("from Bob"), Span.class, spec -> spec.withClasses("author")).getText())
                    .isEqualTo("by Bob");
        }
    }

    @Test
    void votesFromTwoPages_addUp_theSameOnBoth() {
        try (ChatUser bob = new ChatUser()) {
            openBoardAs("Ann");
            bob.does(() -> openBoardAs("Bob"));
            add("popular");
            add("quiet");
            shows(() -> bob.does(BoardViewTest::board), cards -> assertThat(cards).hasSize(2));

            for (int i = 0; i < 3; i++) {
                click("popular", "+1");
                bob.does(() -> click("popular", "+1"));
            }
            bob.does(() -> click("quiet", "+1"));
            shows(() -> bob.does(BoardViewTest::board),
                    cards -> assertThat(cards).as("Bob sees his own vote").contains("quiet (1)"));

            shows(BoardViewTest::board, cards -> assertThat(cards).containsExactly("popular (6)", "quiet (1)"));
            shows(() -> bob.does(BoardViewTest::board),
                    cards -> assertThat(cards).containsExactly("popular (6)", "quiet (1)"));
        }
    }

    @Test
    void aCardMovedUpOrDown_movesOnEveryPage_withItsVotes_andTheEndsGoNoFurther() {
        try (ChatUser bob = new ChatUser()) {
            openBoardAs("Ann");
            bob.does(() -> openBoardAs("Bob"));
            add("a");
            add("b");
            add("c");
            click("c", "+1");
            shows(BoardViewTest::board, cards -> assertThat(cards).containsExactly("a (0)", "b (0)", "c (1)"));
            shows(() -> bob.does(BoardViewTest::board),
                    cards -> assertThat(cards).containsExactly("a (0)", "b (0)", "c (1)"));

            bob.does(() -> click("c", "Up"));
            shows(BoardViewTest::board, cards -> assertThat(cards).containsExactly("a (0)", "c (1)", "b (0)"));

            click("a", "Down");
            shows(() -> bob.does(BoardViewTest::board),
                    cards -> assertThat(cards).containsExactly("c (1)", "a (0)", "b (0)"));
            assertThat(enabled("c", "Up")).as("the first card goes no higher").isFalse();
            assertThat(enabled("b", "Down")).as("the last card goes no lower").isFalse();
            assertThat(enabled("a", "Up")).isTrue();
            assertThat(enabled("a", "Down")).isTrue();
        }
    }

    @Test
    void aRemovedCard_leavesEveryPage_withItsVotes() {
        try (ChatUser bob = new ChatUser()) {
            openBoardAs("Ann");
            bob.does(() -> openBoardAs("Bob"));
            add("keep");
            add("drop");
            click("drop", "+1");
            shows(BoardViewTest::board, cards -> assertThat(cards).containsExactly("keep (0)", "drop (1)"));
            shows(() -> bob.does(BoardViewTest::board), cards -> assertThat(cards).containsExactly("keep (0)",
                    "drop (1)"));

            bob.does(() -> click("drop", "Remove"));

            shows(BoardViewTest::board, cards -> assertThat(cards).containsExactly("keep (0)"));
            assertThat(bob.does(BoardViewTest::board)).containsExactly("keep (0)");

            add("drop");
            assertThat(board()).as("a new card of the same text starts with no votes")
                    .containsExactly("keep (0)", "drop (0)");
        }
    }

    @Test
    void theTitle_startsUntitled_andAnEditOnOnePage_showsOnEveryPage() {
        try (ChatUser bob = new ChatUser()) {
            openBoardAs("Ann");
            bob.does(() -> openBoardAs("Bob"));
            assertThat(title()).isEqualTo(BoardView.UNTITLED);

            rename("Retro, week 49");

            assertThat(title()).isEqualTo("Retro, week 49");
            shows(() -> bob.does(BoardViewTest::title), shown -> assertThat(shown).isEqualTo("Retro, week 49"));
            shows(() -> bob.does(() -> _get(TextField.class, spec -> spec.withPlaceholder("Board title")).getValue()),
                    field -> assertThat(field).as("Bob's title field follows too").isEqualTo("Retro, week 49"));

            bob.does(() -> rename("Retro, week 50"));
            shows(BoardViewTest::title, shown -> assertThat(shown).isEqualTo("Retro, week 50"));
        }
    }

    @Test
    void whoIsLooking_listsEveryPageOnTheBoard_andDropsOneThatLeaves() {
        try (ChatUser bob = new ChatUser()) {
            openBoardAs("Ann");
            assertThat(looking()).containsExactly("Ann");

            bob.does(() -> openBoardAs("Bob"));
            assertThat(looking()).containsExactly("Ann", "Bob");
            assertThat(bob.does(BoardViewTest::looking)).containsExactly("Ann", "Bob");

            bob.does(() -> {
                _click(_get(RouterLink.class, spec -> spec.withText("Back to the chat")));
                return null;
            });
            assertThat(bob.does(() -> getCurrentView())).isEqualTo(ChatView.class);
            assertThat(looking()).containsExactly("Ann");
        }
    }

    @Test
    void firstVotesForOneCardOnTwoServersAtOnce_allCount_onBoth() {
        InMemoryEngine engine = InMemoryEngine.threaded();
        InMemoryTransport.Bus bus = new InMemoryTransport.Bus(engine);
        MockChatServlet serverA = MockChatServlet.onNode(bus, "a");
        MockChatServlet serverB = MockChatServlet.onNode(bus, "b");
        try (ChatUser ann = new ChatUser(serverA); ChatUser bob = new ChatUser(serverB)) {
            ann.does(() -> openBoardAs("Ann"));
            bob.does(() -> openBoardAs("Bob"));
            ann.does(() -> add("tie"));
            shows(() -> bob.does(BoardViewTest::board), cards -> assertThat(cards).containsExactly("tie (0)"));

            // Neither server hears back from the engine meanwhile: each page's first votes make a count of its own,
            // and only one of the two counts is the card's.
            engine.delayReader("a");
            engine.delayReader("b");
            for (int i = 0; i < 2; i++) {
                ann.does(() -> click("tie", "+1"));
                bob.does(() -> click("tie", "+1"));
            }
            engine.releaseReader("a");
            engine.releaseReader("b");

            shows(() -> List.of(ann.does(BoardViewTest::board), bob.does(BoardViewTest::board)),
                    both -> assertThat(both).containsOnly(List.of("tie (4)")));
        } finally {
            serverA.destroy();
            serverB.destroy();
        }
    }

    @Test
    void aBlankCard_isNotAdded_andMarkupIsShownAsText() {
        openBoardAs("<i>Eve</i>");

        add("   ");
        add("<b>bold?</b>");

        assertThat(board()).containsExactly("<b>bold?</b> (0)");
        Span text = _get(card("<b>bold?</b>"), Span.class, spec -> spec.withClasses("text"));
        assertThat(text.getElement().getChildCount()).isEqualTo(1);
        assertThat(text.getElement().getChild(0).isTextNode()).as("one text node, not parsed markup").isTrue();
        assertThat(looking()).containsExactly("<i>Eve</i>");
    }

    @Test
    void theBoard_isLinkedFromTheRoomsPage_withoutANameItIsAnonymous() {
        UI.getCurrent().navigate(RoomsView.class);

        _click(_get(RouterLink.class, spec -> spec.withText("The shared board")));

        assertThat(getCurrentView()).isEqualTo(BoardView.class);
        assertThat(looking()).containsExactly(ChatView.DEFAULT_NAME);
    }
}
