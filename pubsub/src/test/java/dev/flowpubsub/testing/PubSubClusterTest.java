package dev.flowpubsub.testing;

import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.textfield.TextField;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.signals.shared.SharedListSignal;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.Presence;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Several servers in one JVM, with Karibu: what a user's test of their views across servers does. */
class PubSubClusterTest {

    private PubSubCluster cluster;

    private PubSubCluster cluster(String... nodes) {
        cluster = PubSubCluster.builder().nodes(nodes).routes(new Routes().autoDiscoverViews("dev.flowpubsub.testing"))
                .hub(hub -> hub.history(HistoryPolicy.keep(50, RoomView.TOPIC))).build();
        return cluster;
    }

    @AfterEach
    void close() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static ClusterPage enter(ClusterNode node, String name) {
        return node.open("room", session -> session.setAttribute("name", name));
    }

    private static void say(ClusterPage page, String line) {
        page.run(() -> {
            _setValue(_get(RoomView.class).line, line);
            _click(_get(RoomView.class).send);
        });
    }

    private static List<String> shown(ClusterPage page) {
        return page.call(() -> _get(RoomView.class).shown());
    }

    private static List<Object> present(ClusterNode node) {
        return node.presence(RoomView.TOPIC).stream().map(Presence::descriptor).sorted().map(Object.class::cast)
                .toList();
    }

    /** The "cursors" list signal on {@code node}, held by the test as a view's bound component holds it. */
    private static SharedListSignal<String> heldCursors(ClusterNode node) {
        return node.call(() -> PubSubHub.current().signals().list("cursors", String.class));
    }

    /** {@code page} inserts {@code cursor} into "cursors", owned by the page. */
    private static void insertOwnedCursor(ClusterPage page, String cursor) {
        page.run(() -> PubSubHub.current().signals().ownedByPage(UI.getCurrent())
                .insertLast(PubSubHub.current().signals().list("cursors", String.class), cursor));
    }

    @Test
    void insideAPagesBlock_theCurrentUiSessionAndServiceAreThatPagesOnThatNode() {
        cluster("a", "b");
        ClusterPage onA = enter(cluster.node("a"), "Ann");
        ClusterPage onB = enter(cluster.node("b"), "Bob");

        assertThat(onA.call(VaadinService::getCurrent)).isSameAs(cluster.node("a").servlet().getService());
        assertThat(onB.call(VaadinService::getCurrent)).isSameAs(cluster.node("b").servlet().getService());
        assertThat(onA.call(() -> VaadinSession.getCurrent().getAttribute("name"))).isEqualTo("Ann");
        assertThat(onA.call(() -> _get(RoomView.class).getUI().orElseThrow())).isSameAs(onA.call(UI::getCurrent));
        assertThat(onA.call(PubSubHub::current)).isSameAs(cluster.node("a").hub()).isNotSameAs(cluster.node("b").hub());
        // a node's own block runs on its first page, opened at the root on first use
        assertThat(cluster.node("b").call(() -> VaadinService.getCurrent()))
                .isSameAs(cluster.node("b").servlet().getService());
    }

    @Test
    void aLineSaidOnOneNode_showsOnEveryNode_inEachSendersOrder_onlyOnceDelivered() {
        cluster("a", "b", "c");
        ClusterPage ann = enter(cluster.node("a"), "Ann");
        ClusterPage bob = enter(cluster.node("b"), "Bob");
        ClusterPage cid = enter(cluster.node("c"), "Cid");

        say(ann, "one");
        say(ann, "two");
        say(bob, "three");
        assertThat(shown(cid)).isEmpty(); // nothing moves on its own

        cluster.deliverPending();

        for (ClusterPage page : List.of(ann, bob, cid)) {
            assertThat(shown(page)).containsSubsequence("one", "two").contains("three").hasSize(3);
        }
    }

    @Test
    void pagesOnEveryNode_seeWhoIsPresentOnEveryNode_andAClosedTabLeaves() {
        cluster("a", "b");
        ClusterPage ann = enter(cluster.node("a"), "Ann");
        enter(cluster.node("b"), "Bob");
        cluster.deliverPending();
        assertThat(present(cluster.node("a"))).containsExactly("Ann", "Bob");
        assertThat(present(cluster.node("b"))).containsExactly("Ann", "Bob");

        ann.close();
        cluster.deliverPending();

        assertThat(present(cluster.node("b"))).containsExactly("Bob");
    }

    @Test
    void aRecordedPage_receivesWhatEveryNodeSends_inEachSendersOrder() {
        cluster("a", "b");
        Received<String> onB = cluster.node("b").open().record("news", String.class);
        ClusterPage sender = cluster.node("a").open();
        for (int i = 0; i < 5; i++) {
            int n = i;
            sender.run(() -> PubSub.current().sendAllOnTopic("news", "item " + n));
        }
        cluster.deliverPending();

        assertThat(onB.messages()).containsExactly("item 0", "item 1", "item 2", "item 3", "item 4");
    }

    @Test
    void aPartitionedNode_receivesNothingAndItsLinesWait_thenBothCatchUpInOrder_whenHealed() {
        cluster("a", "b");
        ClusterPage ann = enter(cluster.node("a"), "Ann");
        ClusterPage bob = enter(cluster.node("b"), "Bob");
        cluster.partition("b");

        say(ann, "to b while cut");
        say(bob, "from b while cut");
        cluster.deliverPending();
        assertThat(shown(bob)).containsExactly("from b while cut"); // its own, locally
        assertThat(shown(ann)).containsExactly("to b while cut");

        cluster.heal("b");
        cluster.deliverPending();

        assertThat(shown(bob)).containsExactlyInAnyOrder("from b while cut", "to b while cut");
        assertThat(shown(ann)).containsExactlyInAnyOrder("to b while cut", "from b while cut");
    }

    @Test
    void aDelayedReader_seesNothingNew_untilReleased_thenEverythingInOrder() {
        cluster("a", "b");
        ClusterPage ann = enter(cluster.node("a"), "Ann");
        ClusterPage bob = enter(cluster.node("b"), "Bob");
        cluster.delayReader("b");

        say(ann, "1");
        say(ann, "2");
        say(bob, "b's");
        cluster.deliverPending();
        assertThat(shown(bob)).containsExactly("b's");
        assertThat(shown(ann)).containsExactly("1", "2", "b's"); // b's sends still go

        cluster.releaseReader("b");
        cluster.deliverPending();
        assertThat(shown(bob)).containsExactly("b's", "1", "2");
    }

    @Test
    void aKilledNode_leavesNoOneBehindOnTheOthers_andRestartsWithTheSameId() {
        cluster("a", "b");
        enter(cluster.node("a"), "Ann");
        enter(cluster.node("b"), "Bob");
        cluster.deliverPending();
        assertThat(present(cluster.node("a"))).containsExactly("Ann", "Bob");

        cluster.kill("b");
        cluster.deliverPending();
        assertThat(present(cluster.node("a"))).containsExactly("Ann");
        assertThatThrownBy(() -> cluster.node("b").open("room")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("restart");

        ClusterNode b = cluster.restart("b");
        ClusterPage bob = enter(b, "Bob again");
        cluster.deliverPending();

        assertThat(b.hub().nodeId()).contains("b");
        assertThat(present(cluster.node("a"))).containsExactly("Ann", "Bob again");
        say(bob, "back");
        cluster.deliverPending();
        assertThat(cluster.node("a").pages().get(0).call(() -> _get(RoomView.class).shown())).contains("back");
    }

    @Test
    void aNodeStartedLater_getsTheRoomsHistory_andPastTheRetentionOnlyWhatTheEngineKept() {
        cluster("a", "b");
        cluster.retainMessages(3);
        ClusterPage ann = enter(cluster.node("a"), "Ann");
        cluster.stop("b");
        for (int i = 1; i <= 5; i++) {
            say(ann, "line " + i);
        }
        cluster.deliverPending();

        ClusterPage bob = enter(cluster.restart("b"), "Bob");
        cluster.deliverPending();

        assertThat(shown(ann)).hasSize(5);
        assertThat(shown(bob)).as("the engine kept 3 messages (presence counts too)").isSubsetOf(shown(ann))
                .doesNotContain("line 1", "line 2");
    }

    @Test
    void aDelayedNodePastTheRetention_missesWhatWasTrimmed_andItsHubCountsIt() {
        cluster("a", "b");
        ClusterPage ann = enter(cluster.node("a"), "Ann");
        ClusterPage bob = enter(cluster.node("b"), "Bob");
        cluster.deliverPending();
        cluster.retainMessages(2);
        cluster.delayReader("b");
        for (int i = 1; i <= 6; i++) {
            say(ann, "line " + i);
        }
        cluster.releaseReader("b");
        cluster.deliverPending();

        assertThat(shown(bob)).containsExactly("line 5", "line 6");
        assertThat(cluster.node("b").hub().stats().remoteMissed()).isEqualTo(4);
    }

    @Test
    void theEngineLostAndBackIntact_losesNothing_andBackEmpty_keepsNoHistoryForANodeStartedAfter() {
        cluster("a", "b");
        ClusterPage ann = enter(cluster.node("a"), "Ann");
        ClusterPage bob = enter(cluster.node("b"), "Bob");
        cluster.loseEngine();
        say(ann, "during");
        cluster.deliverPending();
        assertThat(shown(bob)).isEmpty();

        cluster.engineBack(true);
        cluster.deliverPending();
        assertThat(shown(bob)).containsExactly("during");

        cluster.stop("b");
        cluster.loseEngine();
        cluster.engineBack(false);
        say(ann, "after");
        cluster.deliverPending();
        ClusterPage cid = enter(cluster.restart("b"), "Cid");
        cluster.deliverPending();
        assertThat(shown(cid)).as("history went with the engine's data").containsExactly("after");
        assertThat(shown(ann)).containsExactly("during", "after"); // a node keeps what it received
    }

    @Test
    void sharedSignals_writtenOnTwoNodesAtOnce_endTheSameOnEveryNode() {
        cluster("a", "b", "c");
        List<String> written = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            String node = List.of("a", "b", "c").get(cluster.random().nextInt(3));
            String item = node + i;
            written.add(item);
            cluster.node(node).run(() -> PubSubHub.current().signals().list("cards", String.class).insertLast(item));
        }
        cluster.deliverPending();

        cluster.assertSignalTreesEqual("cards");
        SharedListSignal<String> onC = cluster.node("c").hub().signals().list("cards", String.class);
        assertThat(onC.peekConfirmed().stream().map(card -> card.peekConfirmed()).toList())
                .containsExactlyInAnyOrderElementsOf(written);
    }

    @Test
    void signalTreesThatDiffer_failTheAssertion_namingTheNodesAndTheSeed() {
        cluster("a", "b");
        cluster.node("a").run(() -> PubSubHub.current().signals().value("title", String.class).set("first"));
        cluster.deliverPending();
        cluster.partition("b");
        cluster.node("a").run(() -> PubSubHub.current().signals().value("title", String.class).set("second"));
        cluster.deliverPending();

        assertThatThrownBy(() -> cluster.assertSignalTreesEqual("title")).isInstanceOf(AssertionError.class)
                .hasMessageContaining("node a").hasMessageContaining("node b").hasMessageContaining("second")
                .hasMessageContaining("seed=" + cluster.seed());

        cluster.heal("b");
        cluster.deliverPending();
        cluster.assertSignalTreesEqual("title");
    }

    @Test
    void theSameSeed_makesTheSameRandomChoices() {
        PubSubCluster first = PubSubCluster.builder().nodes(1).seed(42).build();
        PubSubCluster second = PubSubCluster.builder().nodes(1).seed(42).build();
        try (first; second) {
            assertThat(first.random().ints(5).boxed().toList()).isEqualTo(second.random().ints(5).boxed().toList());
            assertThat(first.toString()).contains("seed=42");
        }
    }

    @Test
    void aNodeThatDoesNotExist_isNamedWithTheOnesThatDo() {
        cluster("a", "b");
        assertThatThrownBy(() -> cluster.node("c")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[a, b]");
    }

    @Test
    void whatAPageOwnedInASharedSignal_goesOnEveryNode_whenItsNodeIsKilled() {
        cluster("a", "b");
        ClusterPage bob = enter(cluster.node("b"), "Bob");
        SharedListSignal<String> cursorsOnA = heldCursors(cluster.node("a"));
        cluster.node("a").run(() -> cursorsOnA.insertLast("shared"));
        insertOwnedCursor(bob, "Bob's cursor");
        cluster.deliverPending();
        assertThat(cluster.signalTree("a", "cursors")).contains("Bob's cursor");

        cluster.kill("b");
        cluster.deliverPending();

        assertThat(cluster.signalTree("a", "cursors")).contains("shared").doesNotContain("Bob's cursor");
        assertThat(cursorsOnA.peekConfirmed()).hasSize(1);
    }

    @Test
    void theGuidesExample_aLineCrossesServers_andADeadServersPeopleLeave() {
        // snippet:cluster
        try (PubSubCluster cluster = PubSubCluster.builder().nodes("a", "b")
                .routes(new Routes().autoDiscoverViews("dev.flowpubsub.testing"))
                .hub(hub -> hub.history(HistoryPolicy.keep(50, "room"))).build()) {
            ClusterPage ann = cluster.node("a").open("room", session -> session.setAttribute("name", "Ann"));
            ClusterPage bob = cluster.node("b").open("room", session -> session.setAttribute("name", "Bob"));

            ann.run(() -> {
                _setValue(_get(TextField.class), "hi from a");
                _click(_get(Button.class, spec -> spec.withText("Send")));
            });
            cluster.deliverPending(); // everything in flight, on every server, then returns

            bob.run(() -> assertThat(_get(RoomView.class).shown()).containsExactly("hi from a"));
            assertThat(cluster.node("b").presence("room")).extracting(Presence::descriptor)
                    .containsExactlyInAnyOrder("Ann", "Bob");

            cluster.kill("b"); // no goodbye: the engine tells the others
            cluster.deliverPending();
            assertThat(cluster.node("a").presence("room")).extracting(Presence::descriptor).containsExactly("Ann");
        }
        // end:cluster
    }

    @Test
    void aNodeFactoryWhoseHubIsNotTheNodesOwn_failsTheStart_sayingWhatToDo() {
        assertThatThrownBy(() -> PubSubCluster.builder().nodes("a").nodeFactory((name, transport) ->
                new com.github.mvysny.kaributesting.v10.mock.MockVaadinServlet(new Routes())).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("node a's hub")
                .hasMessageContaining("the transport it is given");
    }

    /**
     * The bus tells a node that another is gone before the node has read what the dead one sent before dying: the
     * dead node's join, read after its death, is never removed (heartbeats never beat in a cluster).
     */
    @Test
    void aKilledNodesJoin_readAfterItsDeathByADelayedNode_leavesNoGhost() {
        cluster("a", "b");
        enter(cluster.node("a"), "Ann");
        cluster.deliverPending();
        cluster.delayReader("a");
        enter(cluster.node("b"), "Bob");
        cluster.deliverPending(); // b's join is in the engine; a has not read it
        cluster.kill("b");
        cluster.releaseReader("a");
        cluster.deliverPending();

        assertThat(present(cluster.node("a"))).containsExactly("Ann");
    }

    /** Same, with a partition of the survivor instead of a delayed reader. */
    @Test
    void aKilledNodesJoin_readAfterItsDeathByAHealedNode_leavesNoGhost() {
        cluster("a", "b");
        enter(cluster.node("a"), "Ann");
        cluster.deliverPending();
        cluster.partition("a");
        enter(cluster.node("b"), "Bob");
        cluster.deliverPending();
        cluster.kill("b");
        cluster.heal("a");
        cluster.deliverPending();

        assertThat(present(cluster.node("a"))).containsExactly("Ann");
    }

    /**
     * Timing: the presence window's timer (200 ms) tells b's join to the engine on its own; if the test kills b after
     * that and before a delivery, a reads the death first, then the join: a ghost. Without the pause, no ghost.
     */
    @Test
    void aKilledNodesJoin_toldByTheWindowTimerBeforeTheKill_leavesNoGhost() throws InterruptedException {
        cluster("a", "b");
        enter(cluster.node("a"), "Ann");
        cluster.deliverPending();
        enter(cluster.node("b"), "Bob");
        Thread.sleep(400); // time passes in the test (a slow machine, a debugger): the join's window ends on its own
        cluster.kill("b");
        cluster.deliverPending();

        assertThat(present(cluster.node("a"))).containsExactly("Ann");
    }

    /** A page's owned signal entry stays on the others when its node's owner presence is read after its death. */
    @Test
    void aKilledNodesOwnedEntry_readAfterItsDeathByADelayedNode_goes() {
        cluster("a", "b");
        SharedListSignal<String> cursorsOnA = heldCursors(cluster.node("a")); // a node lets go of a name no signal uses
        cluster.node("a").run(() -> cursorsOnA.insertLast("shared"));
        cluster.deliverPending();
        cluster.delayReader("a");
        ClusterPage bob = enter(cluster.node("b"), "Bob");
        insertOwnedCursor(bob, "Bob's cursor");
        cluster.deliverPending();
        cluster.kill("b");
        cluster.releaseReader("a");
        cluster.deliverPending();

        assertThat(cluster.signalTree("a", "cursors")).contains("shared").doesNotContain("Bob's cursor");
        assertThat(cursorsOnA.peekConfirmed()).hasSize(1);
    }

    /** Building a cluster leaves Vaadin's current instances of the last node on the test's thread. */
    @Test
    void theTestThread_hasNoCurrentVaadinService_afterBuildingACluster() {
        cluster("a", "b");
        assertThat(VaadinService.getCurrent()).isNull();
    }

    /** Closing a cluster ends the threads it started: the pages' threads. */
    @Test
    void closingTheCluster_endsEveryPagesThread() throws InterruptedException {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        cluster("a", "b");
        enter(cluster.node("a"), "Ann");
        enter(cluster.node("b"), "Bob");
        cluster.kill("b");
        cluster.close();
        cluster = null;
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                Thread.getAllStackTraces().keySet()).filteredOn(thread -> !before.contains(thread))
                .extracting(Thread::getName).noneMatch(name -> name.startsWith("karibu-")));
    }

    /** A page whose route is not found: the open fails, and its thread (holding its session's lock) stays. */
    @Test
    void aPageThatFailsToOpen_leavesNoThreadBehind() throws InterruptedException {
        java.util.Set<Thread> before = Thread.getAllStackTraces().keySet();
        cluster("a");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cluster.node("a").open("no-such-route"))
                .isNotNull();
        cluster.close();
        cluster = null;
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                Thread.getAllStackTraces().keySet()).filteredOn(thread -> !before.contains(thread))
                .extracting(Thread::getName).noneMatch(name -> name.startsWith("karibu-")));
    }

    /** A stopped node's presence is stale: a call on it should fail, as open() does, not answer from a closed hub. */
    @Test
    void thePresenceOfAStoppedNode_isRefused_asOpeningAPageThereIs() {
        cluster("a", "b");
        enter(cluster.node("a"), "Ann");
        cluster.deliverPending();
        cluster.stop("b");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> cluster.node("b").presence(RoomView.TOPIC))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("restart");
    }

    /** A closed cluster starts no node again. */
    @Test
    void aClosedCluster_refusesARestart() {
        cluster("a");
        cluster.close();
        PubSubCluster closed = cluster;
        cluster = null;
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> closed.restart("a"))
                    .isInstanceOf(IllegalStateException.class);
        } finally {
            closed.close();
        }
    }

    /** A component bound to a shared signal on node b shows a write made on node a once delivered. */
    @Test
    void aComponentBoundToASharedSignalOnB_showsAWriteMadeOnA_afterDeliverPending() {
        cluster("a", "b");
        ClusterPage onB = cluster.node("b").open();
        java.util.concurrent.atomic.AtomicReference<com.vaadin.flow.component.html.Span> shown =
                new java.util.concurrent.atomic.AtomicReference<>();
        onB.run(() -> {
            var title = PubSubHub.current().signals().value("title", String.class);
            var span = new com.vaadin.flow.component.html.Span();
            UI.getCurrent().add(span);
            span.getElement().bindText(title);
            shown.set(span);
        });
        cluster.deliverPending();
        cluster.node("a").run(() -> PubSubHub.current().signals().value("title", String.class).set("from a"));
        for (int i = 0; i < 10; i++) { // within a page's send budget (bursts of 20)
            String value = "from a " + i;
            cluster.node("a").run(() -> PubSubHub.current().signals().value("title", String.class).set(value));
            cluster.deliverPending();
            assertThat(onB.call(() -> shown.get().getText())).as("round %d", i).isEqualTo(value);
        }
    }

    /**
     * The engine comes back empty before a delayed node read b's join: with a real heartbeat the beat's digest would
     * make a ask b for its state; here heartbeats never beat, so a never sees Bob, for the rest of the test.
     */
    @Test
    void afterTheEngineCameBackEmpty_presenceConverges_onANodeThatHadNotReadAJoin() {
        cluster("a", "b");
        enter(cluster.node("a"), "Ann");
        cluster.deliverPending();
        cluster.delayReader("a");
        enter(cluster.node("b"), "Bob");
        cluster.deliverPending(); // b's join is in the engine; a has not read it
        cluster.loseEngine();
        cluster.engineBack(false);
        cluster.releaseReader("a");
        cluster.deliverPending();

        assertThat(present(cluster.node("b"))).containsExactly("Ann", "Bob");
        assertThat(present(cluster.node("a"))).containsExactly("Ann", "Bob");
    }

    @Test
    void aJoinTrimmedBeforeADelayedNodeReadIt_isLearnedAgain_whenTheNodeReadsWhatWasKept() {
        cluster("a", "b");
        ClusterPage ann = enter(cluster.node("a"), "Ann");
        cluster.deliverPending();
        cluster.retainMessages(2);
        cluster.delayReader("a");
        ClusterPage bob = enter(cluster.node("b"), "Bob");
        cluster.deliverPending(); // Bob's join is with the engine; a has not read it
        say(bob, "one");
        say(bob, "two");
        say(bob, "three");
        cluster.deliverPending(); // the join is trimmed; Bob's last two lines are kept

        cluster.releaseReader("a");
        cluster.deliverPending();

        assertThat(present(cluster.node("a"))).containsExactly("Ann", "Bob");
        assertThat(shown(ann)).as("what was trimmed is missed").doesNotContain("one").endsWith("three");
    }
}
