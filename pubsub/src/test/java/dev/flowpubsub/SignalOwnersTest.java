package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.Node;
import com.vaadin.flow.signals.SignalCommand;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.TransportHealth;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Owned entries on two nodes, with real Vaadin sessions and a threaded engine: each way an owner goes (its page
 * closes, its browser stays gone past the grace, its session ends, its node dies, its node restarts with the same id)
 * removes its entries on both nodes, and nothing else.
 */
class SignalOwnersTest {

    /** A node's heartbeat where a test needs a silence noticed soon (a node dead); the sweep then runs this often. */
    private static final Duration FAST = Duration.ofMillis(100);
    /** Elsewhere: a silence of a minute, so nothing but the trigger under test (not the sweep) clears an owner. */
    private static final Duration SLOW = Duration.ofSeconds(20);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.threaded();

    private VaadinApp app(String node, Transport transport, Duration beat) {
        return nodes.app(node, transport, builder -> builder.presenceHeartbeat(beat).presenceDisconnectGrace(Duration.ZERO));
    }

    private VaadinApp app(String node) {
        return app(node, nodes.newTransport(node), SLOW);
    }

    private static SharedListSignal<String> cursors(PubSubHub hub) {
        return hub.signals().list("cursors", String.class);
    }

    private static List<String> values(SharedListSignal<String> list) {
        return list.peekConfirmed().stream().map(SharedValueSignal::peekConfirmed).toList();
    }

    private static void insertOwned(UI ui, PubSubHub hub, String value) {
        ui.accessSynchronously(() -> hub.signals().ownedByPage(ui).insertLast(cursors(hub), value));
    }

    @Test
    void aPagesEntries_leaveOnEveryNode_whenThePageCloses_andNoOtherEntryDoes() {
        VaadinApp a = app("a");
        app("b");
        PubSubHub hubA = nodes.node("a");
        SharedListSignal<String> onB = cursors(nodes.node("b"));
        VaadinApp.Browser ann = a.browser();
        UI annsPage = ann.pushTab();
        UI annsOther = ann.pushTab();
        insertOwned(annsPage, hubA, "ann's cursor");
        insertOwned(annsOther, hubA, "ann's other cursor");
        cursors(hubA).insertLast("a card nobody owns");
        await().atMost(WAIT).until(() -> values(onB).size() == 3);

        ann.closeTab(annsPage);

        await().atMost(WAIT).untilAsserted(() -> assertThat(values(onB))
                .containsExactly("ann's other cursor", "a card nobody owns"));
        assertThat(values(cursors(hubA))).containsExactly("ann's other cursor", "a card nobody owns");
    }

    @Test
    void aPagesEntries_leave_whenItsBrowserIsGonePastTheGrace() {
        VaadinApp a = app("a");
        app("b");
        PubSubHub hubA = nodes.node("a");
        UI page = a.browser().pushTab();
        insertOwned(page, hubA, "cursor");
        SharedListSignal<String> onB = cursors(nodes.node("b"));
        await().atMost(WAIT).until(() -> values(onB).size() == 1);

        Page held = hubA.dispatcher().page(page);
        assertThat(held).as("the page is held for its owner's presence").isNotNull();
        page.accessSynchronously(held::pushLost); // the grace is zero: over at once

        await().atMost(WAIT).untilAsserted(() -> assertThat(values(onB)).isEmpty());
        assertThat(page.isClosing()).as("the page itself is still open").isFalse();
    }

    @Test
    void aSessionsEntries_outliveItsPages_andLeaveWhenTheSessionEnds() {
        VaadinApp a = app("a");
        app("b");
        PubSubHub hubA = nodes.node("a");
        VaadinApp.Browser ann = a.browser();
        UI page = ann.pushTab();
        SharedMapSignal<String> editing = hubA.signals().map("editing", String.class);
        page.accessSynchronously(() -> hubA.signals().ownedBySession(ann.session).putIfAbsent(editing, "title", "Ann"));
        SharedMapSignal<String> onB = nodes.node("b").signals().map("editing", String.class);
        await().atMost(WAIT).until(() -> onB.peekConfirmed().containsKey("title"));

        ann.closeTab(page);
        nodes.node("b").signals().value("other", String.class).set("a write after the close"); // ordered after it
        await().atMost(WAIT).until(() -> "a write after the close".equals(
                hubA.signals().value("other", String.class).peekConfirmed()));
        assertThat(onB.peekConfirmed()).as("the session is still there").containsKey("title");

        ann.expire();

        await().atMost(WAIT).untilAsserted(() -> assertThat(onB.peekConfirmed()).isEmpty());
        assertThat(editing.peekConfirmed()).isEmpty();
    }

    @Test
    void aNodesEntries_leaveOnTheOthers_whenItDiesWithoutAWord() {
        MutableTransport transportA = new MutableTransport(nodes.newTransport("a"));
        VaadinApp a = app("a", transportA, FAST);
        app("b", nodes.newTransport("b"), FAST);
        PubSubHub hubA = nodes.node("a");
        insertOwned(a.browser().pushTab(), hubA, "a's cursor");
        SharedListSignal<String> onB = cursors(nodes.node("b"));
        onB.insertLast("b's card");
        await().atMost(WAIT).until(() -> values(onB).size() == 2);
        ownerKnownOn("b");

        dieWithoutAWord("a", transportA); // b hears the silence

        await().atMost(WAIT).untilAsserted(() -> assertThat(values(onB)).containsExactly("b's card"));
    }

    @Test
    void aNodesEntries_leave_whenItRestartsWithTheSameId() {
        MutableTransport transportA = new MutableTransport(nodes.newTransport("a"));
        VaadinApp a = app("a", transportA, SLOW);
        app("b", nodes.newTransport("b"), SLOW);
        insertOwned(a.browser().pushTab(), nodes.node("a"), "a's cursor");
        SharedListSignal<String> onB = cursors(nodes.node("b"));
        await().atMost(WAIT).until(() -> values(onB).size() == 1);
        ownerKnownOn("b");

        dieWithoutAWord("a", transportA);
        nodes.engine.heal("a");
        app("a", nodes.newTransport("a"), SLOW); // the same id, a new start: b forgets the former one at once

        await().atMost(WAIT).untilAsserted(() -> assertThat(values(onB)).isEmpty());
        assertThat(values(cursors(nodes.node("a")))).isEmpty();
    }

    @Test
    void entriesOfAnOwnerThatLeftWhileNoNodeHeldTheName_leaveWhenTheNameIsLoaded() {
        MutableTransport transportA = new MutableTransport(nodes.newTransport("a"));
        VaadinApp a = app("a", transportA, FAST);
        app("b", nodes.newTransport("b"), FAST);
        PubSubHub hubA = nodes.node("a");
        insertOwned(a.browser().pushTab(), hubA, "a's cursor");
        await().atMost(WAIT).until(() -> hubA.signals().stats().confirmed() == 1);

        dieWithoutAWord("a", transportA); // b never held the name: nobody cleared it when a's entries left presence
        assertThat(nodes.replica("b").trees.loaded("cursors")).isNull();
        await().atMost(WAIT).until(() -> nodes.node("b").dispatcher().present(SignalOwners.TOPIC).isEmpty());

        SharedListSignal<String> onB = cursors(nodes.node("b"));
        await().atMost(WAIT).untilAsserted(() -> assertThat(values(onB)).isEmpty());
    }

    @Test
    void clearingAnOwnerTwice_changesNothingTheSecondTime_andBothNodesHoldTheSame() {
        VaadinApp a = app("a");
        app("b");
        PubSubHub hubA = nodes.node("a");
        insertOwned(a.browser().pushTab(), hubA, "cursor");
        cursors(hubA).insertLast("card");
        SharedListSignal<String> onB = cursors(nodes.node("b"));
        await().atMost(WAIT).until(() -> values(onB).size() == 2);
        Id owner = ownerIn("a");

        clear("a", owner);
        await().atMost(WAIT).untilAsserted(() -> assertThat(values(onB)).containsExactly("card"));
        marker("once");
        Map<Id, Node> once = nodes.confirmed("b", "cursors");
        clear("a", owner);
        clear("b", owner);
        marker("twice");

        assertThat(nodes.confirmed("b", "cursors")).isEqualTo(once);
        assertThat(nodes.confirmed("a", "cursors")).isEqualTo(once);
    }

    private void clear(String node, Id owner) {
        nodes.replica(node).tree("cursors").commitSingleCommand(new SignalCommand.ClearOwnerCommand(Id.random(), owner));
    }

    /** A write on a, waited for on both nodes: everything written before it is applied on both. */
    private void marker(String value) {
        nodes.signals("a").value("marker", String.class).set(value);
        await().atMost(WAIT).until(() -> value.equals(nodes.signals("b").value("marker", String.class).peekConfirmed())
                && value.equals(nodes.signals("a").value("marker", String.class).peekConfirmed()));
    }

    @Test
    void ownedWrites_takeOnlyThisLibrarysListsAndMaps_andNeedThePagesLock() {
        VaadinApp a = app("a");
        PubSubHub hubA = nodes.node("a");
        UI page = a.browser().pushTab();
        assertThatThrownBy(() -> hubA.signals().ownedByPage(page))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("session locked");
        assertThatThrownBy(() -> hubA.signals().ownedByPage(new UI()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not attached");
        page.accessSynchronously(() -> {
            OwnedWrites owned = hubA.signals().ownedByPage(page);
            assertThatThrownBy(() -> owned.insertLast(new SharedListSignal<>(String.class), "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ClusterSignals.list(...)");
            assertThatThrownBy(() -> owned.putIfAbsent(new SharedMapSignal<>(String.class), "k", "x"))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ClusterSignals.map(...)");
        });
    }

    @Test
    void ownedWritesKeptPastTheirOwner_areRefused_notLeftBehindForever() {
        VaadinApp a = app("a");
        PubSubHub hubA = nodes.node("a");
        VaadinApp.Browser ann = a.browser();
        UI page = ann.pushTab();
        AtomicReference<OwnedWrites> kept = new AtomicReference<>();
        page.accessSynchronously(() -> kept.set(hubA.signals().ownedByPage(page)));
        ann.closeTab(page);
        await().atMost(WAIT).until(() -> hubA.dispatcher().present(SignalOwners.TOPIC).isEmpty());

        assertThatThrownBy(() -> kept.get().insertLast(cursors(hubA), "too late"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("has gone");
    }

    @Test
    void anOwnerTakenInsideAComponentsRetargetableSubscriptions_livesAsLongAsThePage_notTheTarget() {
        VaadinApp a = app("a");
        PubSubHub hubA = nodes.node("a");
        UI page = a.browser().pushTab();
        com.vaadin.flow.component.html.Div view = new com.vaadin.flow.component.html.Div();
        AtomicReference<Retargetable<String>> room = new AtomicReference<>();
        page.accessSynchronously(() -> {
            page.add(view);
            room.set(PubSub.whileAttached(view).retargetable((pubsub, target) ->
                    hubA.signals().ownedByPage(page).insertLast(cursors(hubA), "cursor in " + target)));
            room.get().retarget("first");
        });
        await().atMost(WAIT).until(() -> values(cursors(hubA)).size() == 1);

        page.accessSynchronously(() -> room.get().retarget("second")); // what "first" took is removed
        cursors(hubA).insertLast("marker").result().join();

        assertThat(values(cursors(hubA))).containsExactly("cursor in first", "cursor in second", "marker");
    }

    @Test
    void anOwnedPutIfAbsent_onATakenKey_keepsTheEntryAndItsOwner() {
        VaadinApp a = app("a");
        PubSubHub hubA = nodes.node("a");
        SharedMapSignal<String> editing = hubA.signals().map("editing", String.class);
        editing.put("title", "Bob").result().join();
        UI page = a.browser().pushTab();
        AtomicReference<java.util.concurrent.CompletableFuture<?>> result = new AtomicReference<>();
        page.accessSynchronously(() -> result.set(hubA.signals().ownedByPage(page)
                .putIfAbsent(editing, "title", "Ann").result()));
        await().atMost(WAIT).until(() -> result.get().isDone());

        a.browser().closeTab(page);
        nodes.signals("a").value("after", String.class).set("x").result().join(); // ordered after any clear
        assertThat(editing.peekConfirmed().get("title").peekConfirmed()).isEqualTo("Bob");
    }

    /** Node {@code node} stops as a process that dies: no beat, no leave, no write reaches anyone any more. */
    private void dieWithoutAWord(String node, MutableTransport transport) {
        transport.mute();
        nodes.engine.partition(node);
        nodes.kill(node);
    }

    /** Waits until node {@code node} has heard of a's owner (presence tells joins in windows of 200 ms). */
    private void ownerKnownOn(String node) {
        await().atMost(WAIT).until(() -> nodes.node(node).dispatcher().present(SignalOwners.TOPIC).size() == 1);
    }

    private Id ownerIn(String node) {
        return nodes.confirmed(node, "cursors").values().stream().filter(Node.Data.class::isInstance).map(Node.Data.class::cast)
                .map(Node.Data::scopeOwner).filter(java.util.Objects::nonNull).findFirst().orElseThrow();
    }

    /** A node's transport that can fall silent, as a process that died says nothing more. */
    static final class MutableTransport implements Transport {
        private final Transport delegate;
        private volatile boolean muted;

        MutableTransport(Transport delegate) {
            this.delegate = delegate;
        }

        void mute() {
            muted = true;
        }

        @Override
        public void start(TransportContext context) {
            delegate.start(context);
        }

        @Override
        public void publish(TransportEnvelope envelope) {
            if (!muted) {
                delegate.publish(envelope);
            }
        }

        @Override
        public CompletionStage<List<TransportEnvelope>> history(String topic, int limit) {
            return delegate.history(topic, limit);
        }

        @Override
        public Optional<SignalLog> signalLog() {
            return delegate.signalLog();
        }

        @Override
        public TransportHealth health() {
            return delegate.health();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}
