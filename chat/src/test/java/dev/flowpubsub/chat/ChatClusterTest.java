package dev.flowpubsub.chat;

import com.vaadin.flow.component.avatar.AvatarGroup;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.messages.MessageInput;
import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.textfield.TextField;
import dev.flowpubsub.testing.ClusterNode;
import dev.flowpubsub.testing.ClusterPage;
import dev.flowpubsub.testing.PubSubCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.github.mvysny.kaributesting.v10.ButtonKt._click;
import static com.github.mvysny.kaributesting.v10.HasValueUtilsKt._setValue;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.MessagesKt._submit;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TwoChatServersBrowserTests}' scenarios across servers, with the chat's own views under Karibu on a
 * {@link PubSubCluster}: two nodes in this JVM, each the chat as {@code application.properties} configures it
 * ({@link MockChatServlet#onTransport}), on the cluster's in-memory engine. Nothing moves between the nodes but in
 * {@link PubSubCluster#deliverPending()}, so nothing here waits. Across senders the tests assert no order: only each
 * sender's, as flow-pubsub promises.
 */
final class ChatClusterTest {

    private PubSubCluster cluster;

    @BeforeEach
    void startTwoChatServers() {
        cluster = PubSubCluster.builder().nodes("a", "b").nodeFactory(MockChatServlet::onTransport).build();
    }

    @AfterEach
    void stopThem() {
        cluster.close();
    }

    private ClusterNode node(String name) {
        return cluster.node(name);
    }

    // ---- the chat (/) -------------------------------------------------------------------------

    private static ClusterPage openChat(ClusterNode node) {
        return node.open("");
    }

    private static void send(ClusterPage page, String name, String message) {
        page.run(() -> {
            _setValue(_get(TextField.class, spec -> spec.withPlaceholder("Your name")), name);
            _setValue(_get(TextField.class, spec -> spec.withPlaceholder("Your message...")), message);
            _click(_get(Button.class, spec -> spec.withText("Send")));
        });
    }

    /** The chat's messages on this page, top to bottom, as delivered so far. */
    private static List<String> chat(ClusterPage page) {
        return page.call(() -> _find(Paragraph.class).stream().map(Paragraph::getText).toList());
    }

    // ---- the rooms (/rooms) -------------------------------------------------------------------

    /** A new user on {@code node}: opens the rooms page, types a name and clicks the room's button. */
    private static ClusterPage enter(ClusterNode node, String name, String room) {
        ClusterPage page = node.open("rooms");
        page.run(() -> {
            _setValue(_get(TextField.class, spec -> spec.withPlaceholder("Your name")), name);
            _click(_get(Button.class, spec -> spec.withText("# " + room)));
        });
        return page;
    }

    private static void say(ClusterPage page, String text) {
        page.run(() -> _submit(_get(MessageInput.class), text));
    }

    /** The room's message list on this page, top to bottom, each as "name: text". */
    private static List<String> messages(ClusterPage page) {
        return page.call(() -> _get(MessageList.class).getItems().stream()
                .map(item -> item.getUserName() + ": " + item.getText()).toList());
    }

    /** The names under "Here now" on this page (the avatars). */
    private static List<String> people(ClusterPage page) {
        return page.call(() -> _get(AvatarGroup.class).getItems().stream().map(AvatarGroup.AvatarGroupItem::getName)
                .toList());
    }

    /** Who {@code node}'s hub has in the room. */
    private static List<Object> presentOn(ClusterNode node, String room) {
        return node.presence(RoomView.topic(room)).stream()
                .map(present -> ((Map<?, ?>) present.descriptor()).get("name")).map(Object.class::cast).toList();
    }

    // ---- tests --------------------------------------------------------------------------------

    @Test
    void chatMessages_sentOnBothNodesAtOnce_showOnceOnBoth_inEachSendersOrder() {
        ClusterPage annOnA = openChat(node("a"));
        ClusterPage bobOnB = openChat(node("b"));

        for (int i = 1; i <= 3; i++) {
            send(annOnA, "Ann", "from A " + i);
            send(bobOnB, "Bob", "from B " + i);
        }
        assertThat(chat(bobOnB)).as("nothing crosses before a delivery")
                .noneMatch(line -> line.startsWith("Ann: "));

        cluster.deliverPending();

        for (ClusterPage page : List.of(annOnA, bobOnB)) {
            assertThat(chat(page)).as("on node %s", page.node().name()).hasSize(6)
                    .containsSubsequence("Ann: from A 1", "Ann: from A 2", "Ann: from A 3")
                    .containsSubsequence("Bob: from B 1", "Bob: from B 2", "Bob: from B 3");
        }

        send(bobOnB, "Bob", "a reply from B");
        cluster.deliverPending();
        assertThat(chat(annOnA)).hasSize(7).last().isEqualTo("Bob: a reply from B");
        assertThat(chat(bobOnB)).hasSize(7).last().isEqualTo("Bob: a reply from B");
    }

    @Test
    void aRoomAcrossTwoNodes_showsWhoIsHereOnBoth_andWhatWasSaidOnEither_theLateJoinerIncluded() {
        ClusterPage annOnA = enter(node("a"), "Ann", "general");
        say(annOnA, "said on A before anyone else came");
        say(annOnA, "still only me here");
        ClusterPage cidOnB = enter(node("b"), "Cid", "random"); // another room on B
        cluster.deliverPending();

        ClusterPage bobOnB = enter(node("b"), "Bob", "general");
        cluster.deliverPending();

        assertThat(messages(bobOnB)).containsExactly("Ann: said on A before anyone else came",
                "Ann: still only me here");
        assertThat(people(bobOnB)).containsExactlyInAnyOrder("Ann", "Bob");
        assertThat(people(annOnA)).containsExactlyInAnyOrder("Ann", "Bob");
        assertThat(people(annOnA)).as("the same order on both nodes").isEqualTo(people(bobOnB));
        assertThat(people(cidOnB)).containsExactly("Cid");

        say(bobOnB, "hi Ann, I read it on B");
        say(annOnA, "hi Bob");
        cluster.deliverPending();

        for (ClusterPage page : List.of(annOnA, bobOnB)) {
            assertThat(messages(page)).as("on node %s", page.node().name()).hasSize(4)
                    .containsSubsequence("Ann: said on A before anyone else came", "Ann: still only me here",
                            "Ann: hi Bob")
                    .contains("Bob: hi Ann, I read it on B");
        }
        assertThat(messages(cidOnB)).as("nothing of general in random").isEmpty();

        bobOnB.close();
        cluster.deliverPending();

        assertThat(people(annOnA)).containsExactly("Ann");
        assertThat(presentOn(node("a"), "general")).containsExactly("Ann");
        assertThat(messages(annOnA)).hasSize(4);
    }

    @Test
    void aNodeKilled_itsPeopleLeaveTheOtherNodesRoom_andRestartedWithTheSameId_aNewUserThereChatsBothWays() {
        ClusterPage annOnA = enter(node("a"), "Ann", "random");
        enter(node("b"), "Bob", "random");
        cluster.deliverPending();
        assertThat(people(annOnA)).containsExactlyInAnyOrder("Ann", "Bob");

        cluster.kill("b");
        cluster.deliverPending();

        assertThat(people(annOnA)).as("Bob's server died without a word").containsExactly("Ann");
        assertThat(presentOn(node("a"), "random")).containsExactly("Ann");

        ClusterNode b = cluster.restart("b");
        ClusterPage cidOnB = enter(b, "Cid", "random");
        cluster.deliverPending();

        assertThat(b.hub().nodeId()).contains("b");
        assertThat(people(annOnA)).containsExactlyInAnyOrder("Ann", "Cid");
        assertThat(people(cidOnB)).containsExactlyInAnyOrder("Ann", "Cid");
        assertThat(presentOn(node("a"), "random")).containsExactlyInAnyOrder("Ann", "Cid");

        say(cidOnB, "back on the restarted B");
        cluster.deliverPending();
        assertThat(messages(annOnA)).containsExactly("Cid: back on the restarted B");
        say(annOnA, "welcome back");
        cluster.deliverPending();
        assertThat(messages(annOnA)).containsExactly("Cid: back on the restarted B", "Ann: welcome back");
        assertThat(messages(cidOnB)).containsExactly("Cid: back on the restarted B", "Ann: welcome back");

        ClusterPage annInChat = openChat(node("a"));
        ClusterPage cidInChat = openChat(b);
        send(cidInChat, "Cid", "the plain chat, from B");
        send(annInChat, "Ann", "the plain chat, from A");
        cluster.deliverPending();
        assertThat(chat(annInChat)).containsExactlyInAnyOrder("Cid: the plain chat, from B",
                "Ann: the plain chat, from A");
        assertThat(chat(cidInChat)).containsExactlyInAnyOrder("Cid: the plain chat, from B",
                "Ann: the plain chat, from A");
    }

    @Test
    void aRoomOpenedOnANodeStartedLater_showsWhatWasSaidBefore_onEitherNode_inEachSendersOrder() {
        ClusterPage annOnA = enter(node("a"), "Ann", "vaadin");
        ClusterPage bobOnB = enter(node("b"), "Bob", "vaadin");
        say(annOnA, "Ann 1");
        say(bobOnB, "Bob 1, before B stops");
        say(annOnA, "Ann 2");
        cluster.deliverPending();

        cluster.stop("b");
        say(annOnA, "Ann 3, while B is down");
        cluster.deliverPending();
        assertThat(people(annOnA)).as("Bob's server said goodbye").containsExactly("Ann");

        ClusterPage cidOnB = enter(cluster.restart("b"), "Cid", "vaadin");
        cluster.deliverPending();

        assertThat(messages(cidOnB)).hasSize(4)
                .containsSubsequence("Ann: Ann 1", "Ann: Ann 2", "Ann: Ann 3, while B is down")
                .contains("Bob: Bob 1, before B stops");
        assertThat(messages(cidOnB)).as("the history of the room, as A shows it")
                .containsExactlyInAnyOrderElementsOf(messages(annOnA));
        assertThat(people(cidOnB)).containsExactlyInAnyOrder("Ann", "Cid");
    }

    @Test
    void aPartitionedNode_keepsChattingLocally_andOnceHealed_noMessageIsLost_eitherWay() {
        ClusterPage annOnA = enter(node("a"), "Ann", "general");
        ClusterPage bobOnB = enter(node("b"), "Bob", "general");
        ClusterPage cidOnB = enter(node("b"), "Cid", "general");
        cluster.deliverPending();

        cluster.partition("b");
        say(annOnA, "A 1");
        say(bobOnB, "B 1");
        say(annOnA, "A 2");
        say(bobOnB, "B 2");
        cluster.deliverPending();

        assertThat(messages(annOnA)).containsExactly("Ann: A 1", "Ann: A 2");
        assertThat(messages(bobOnB)).as("B delivers its own while cut off").containsExactly("Bob: B 1", "Bob: B 2");
        assertThat(messages(cidOnB)).containsExactly("Bob: B 1", "Bob: B 2");

        cluster.heal("b");
        cluster.deliverPending();

        for (ClusterPage page : List.of(annOnA, bobOnB, cidOnB)) {
            assertThat(messages(page)).as("on node %s", page.node().name()).hasSize(4)
                    .containsSubsequence("Ann: A 1", "Ann: A 2").containsSubsequence("Bob: B 1", "Bob: B 2");
            assertThat(people(page)).containsExactlyInAnyOrder("Ann", "Bob", "Cid");
        }
    }
}
