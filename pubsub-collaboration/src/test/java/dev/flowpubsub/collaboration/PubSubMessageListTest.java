package dev.flowpubsub.collaboration;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.messages.MessageInput;
import com.vaadin.flow.component.messages.MessageList;
import com.vaadin.flow.component.messages.MessageListItem;
import com.vaadin.flow.component.notification.Notification;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.TopicAuthorizer;
import dev.flowpubsub.testing.InMemoryEngine;
import dev.flowpubsub.testing.InMemoryTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.MessagesKt._submit;
import static com.github.mvysny.kaributesting.v10.NotificationsKt.getNotifications;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** A chat with history, as people on one server and on two use it. */
class PubSubMessageListTest {

    private static final UserInfo ANN = UserInfo.of("ann", "Ann");
    private static final UserInfo BOB = UserInfo.of("bob", "Bob");

    @RegisterExtension
    final Servers servers = new Servers();

    private TestServer server(TestServer server) {
        return servers.add(server);
    }

    private static void say(String text) {
        _submit(_get(MessageInput.class), text);
    }

    /** The messages shown, each as "name: text". */
    private static List<String> messages() {
        return _get(MessageList.class).getItems().stream()
                .map(item -> item.getUserName() + ": " + item.getText()).toList();
    }

    @Test
    void enteringARoom_showsItsLastMessages_thenLiveOnes_withNoRepeat() {
        TestServer server = server(new TestServer());
        try (Visitor bob = new Visitor(server, BOB, "room/general")) {
            bob.does(() -> say("first"));
            bob.does(() -> say("second"));

            try (Visitor ann = new Visitor(server, ANN, "room/general")) {
                assertThat(ann.sees(PubSubMessageListTest::messages)).containsExactly("Bob: first", "Bob: second");

                bob.does(() -> say("third, live"));
                ann.does(() -> say("hello"));

                assertThat(ann.sees(PubSubMessageListTest::messages))
                        .containsExactly("Bob: first", "Bob: second", "Bob: third, live", "Ann: hello");
                assertThat(bob.sees(PubSubMessageListTest::messages))
                        .containsExactly("Bob: first", "Bob: second", "Bob: third, live", "Ann: hello");
                MessageListItem shown = ann.sees(() -> _get(MessageList.class).getItems().get(3));
                assertThat(shown.getUserColorIndex()).isEqualTo(ANN.colorIndex());
            }
        }
    }

    @Test
    void messagesOnTwoServers_showOnBoth_andALaterPageOnTheOtherServerGetsTheHistory() {
        InMemoryTransport.Bus bus = new InMemoryTransport.Bus(InMemoryEngine.threaded());
        TestServer a = server(TestServer.onNode(bus, "a"));
        TestServer b = server(TestServer.onNode(bus, "b"));
        try (Visitor ann = new Visitor(a, ANN, "room/general"); Visitor bob = new Visitor(b, BOB, "room/general")) {
            ann.does(() -> say("from a"));
            bob.does(() -> say("from b"));

            // at once on two servers: each server may show the two in its own order (each sender's order is kept)
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                assertThat(ann.sees(PubSubMessageListTest::messages))
                        .containsExactlyInAnyOrder("Ann: from a", "Bob: from b");
                assertThat(bob.sees(PubSubMessageListTest::messages))
                        .containsExactlyInAnyOrder("Ann: from a", "Bob: from b");
            });
            try (Visitor late = new Visitor(b, UserInfo.of("cid", "Cid"), "room/general")) {
                assertThat(late.sees(PubSubMessageListTest::messages))
                        .containsExactlyInAnyOrder("Ann: from a", "Bob: from b");
            }
        }
    }
    @Test
    void sendingFasterThanTheBudget_isRefusedAtTheSubmit_andTheUserIsToldWhatWasNotSent() {
        TestServer server = server(new TestServer(builder -> builder.sendBudget(0.001, 3)));
        try (Visitor ann = new Visitor(server, ANN, "room/general")) {
            for (int i = 1; i <= 4; i++) {
                int n = i;
                ann.does(() -> say("message " + n));
            }

            assertThat(ann.sees(PubSubMessageListTest::messages))
                    .containsExactly("Ann: message 1", "Ann: message 2", "Ann: message 3");
            List<String> told = ann.sees(() -> getNotifications().stream()
                    .map(PubSubMessageListTest::textOf).toList());
            assertThat(told).singleElement().asString()
                    .contains("sending too fast").contains("\u201cmessage 4\u201d");
        }
    }

    @Test
    void aUserWhoMayNotPost_isToldSo_andNothingIsSentOrKept() {
        TopicAuthorizer readOnly = (ui, action, topic) -> action != TopicAuthorizer.Action.SEND;
        TestServer server = server(new TestServer(builder -> builder.authorizer(readOnly)));
        List<PostedMessage> stored = new CopyOnWriteArrayList<>();
        try (Visitor ann = new Visitor(server, ANN, "room/general")) {
            ann.does(() -> _get(PubSubMessageList.class).setPersister(new ListPersister(stored)));
            ann.does(() -> UI.getCurrent().navigate("room/other"));
            ann.does(() -> say("let me in"));

            assertThat(ann.sees(PubSubMessageListTest::messages)).isEmpty();
            assertThat(ann.sees(() -> getNotifications().stream().map(PubSubMessageListTest::textOf).toList()))
                    .singleElement().asString().contains("You may not post here");
            assertThat(stored).isEmpty();
        }
    }

    @Test
    void withAPersister_theStoredMessagesShowFirst_thenLiveOnes_andOneBothStoredAndLiveShowsOnce() {
        TestServer server = server(new TestServer());
        List<PostedMessage> stored = new CopyOnWriteArrayList<>();
        stored.add(new PostedMessage("old-1", "room:kept", BOB, "from last week", Instant.parse("2026-11-30T10:00:00Z")));
        try (Visitor ann = new Visitor(server, ANN, "room/general")) {
            ann.does(() -> {
                PubSubMessageList list = _get(PubSubMessageList.class);
                list.setPersister(new ListPersister(stored));
                UI.getCurrent().navigate("room/kept");
            });
            assertThat(ann.sees(PubSubMessageListTest::messages)).containsExactly("Bob: from last week");

            // a message stored and sent around the moment a page opens: read from the store and also live
            PostedMessage both = new PostedMessage("both", "room:kept", BOB, "at the seam", Instant.now());
            stored.add(both);
            try (Visitor bob = new Visitor(server, BOB, "room/general")) {
                bob.does(() -> {
                    _get(PubSubMessageList.class).setPersister(new ListPersister(stored));
                    UI.getCurrent().navigate("room/kept");
                    PubSubHub.current().sendAllOnTopic("room:kept", Wire.message(both));
                    say("live");
                });
                assertThat(bob.sees(PubSubMessageListTest::messages))
                        .containsExactly("Bob: from last week", "Bob: at the seam", "Bob: live");
            }
            assertThat(ann.sees(PubSubMessageListTest::messages))
                    .containsExactly("Bob: from last week", "Bob: at the seam", "Bob: live");
            assertThat(stored).extracting(PostedMessage::text).containsExactly("from last week", "at the seam", "live");
        }
    }

    private static String textOf(Notification notification) {
        return notification.getElement().getProperty("text", "");
    }

    /** An application's store: a list. */
    private static class ListPersister implements MessagePersister {

        private final List<PostedMessage> messages;

        ListPersister(List<PostedMessage> messages) {
            this.messages = messages;
        }

        @Override
        public List<PostedMessage> recent(String topic) {
            return messages.stream().filter(message -> message.topic().equals(topic)).toList();
        }

        @Override
        public void store(PostedMessage message) {
            messages.add(message);
        }

        @Override
        public void discard(PostedMessage message) {
            messages.remove(message);
        }
    }

    @Test
    void aMessageTooLargeToSend_isRefusedAtTheSubmit_andTheUserIsTold_andTheStoreDiscardsIt() {
        InMemoryTransport.Bus bus = new InMemoryTransport.Bus(InMemoryEngine.threaded());
        TestServer a = server(TestServer.onNode(bus, "a"));
        List<PostedMessage> stored = new CopyOnWriteArrayList<>();
        try (Visitor ann = new Visitor(a, ANN, "room/general")) {
            ann.does(() -> _get(PubSubMessageList.class).setPersister(new ListPersister(stored)));
            ann.does(() -> UI.getCurrent().navigate("room/big"));
            ann.does(() -> say("x".repeat(70_000)));

            assertThat(ann.sees(PubSubMessageListTest::messages)).isEmpty();
            assertThat(ann.sees(() -> getNotifications().stream().map(PubSubMessageListTest::textOf).toList()))
                    .singleElement().asString().contains("too long");
            assertThat(stored).isEmpty();
        }
    }

    @Test
    void aMessageLongerThanTheInputAllows_isRefused_andTheUserIsTold() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "room/general")) {
            ann.does(() -> _get(PubSubMessageInput.class).setMaxLength(10));
            ann.does(() -> say("short"));
            ann.does(() -> say("much longer than ten"));

            assertThat(ann.sees(PubSubMessageListTest::messages)).containsExactly("Ann: short");
            assertThat(ann.sees(() -> getNotifications().stream().map(PubSubMessageListTest::textOf).toList()))
                    .singleElement().asString().contains("too long").contains("much longer than ten");
        }
    }

    @Test
    void blankPosts_areNotSent_otherPayloadsOnTheTopicAreNotShown_andTheListKeepsTheNewest() {
        TestServer server = server(new TestServer());
        try (Visitor ann = new Visitor(server, ANN, "room/general")) {
            ann.does(() -> _get(PubSubMessageList.class).setMaxMessages(2));
            ann.does(() -> say("   "));
            ann.does(() -> PubSubHub.current().sendAllOnTopic("room:general", "a plain string on the same topic"));
            ann.does(() -> PubSubHub.current().sendAllOnTopic("room:general",
                    java.util.Map.of("kind", "flow-pubsub/message", "id", "x"))); // a map that is not a message
            ann.does(() -> say("one"));
            ann.does(() -> say("two"));
            ann.does(() -> say("three"));

            assertThat(ann.sees(PubSubMessageListTest::messages)).containsExactly("Ann: two", "Ann: three");
        }
    }

    @Test
    void aStoreThatThrows_stopsTheSend_andTheSubmitThrowsIt() {
        TestServer server = server(new TestServer());
        MessagePersister failing = new ListPersister(new CopyOnWriteArrayList<>()) {
            @Override
            public void store(PostedMessage message) {
                throw new IllegalStateException("the database is down");
            }
        };
        try (Visitor ann = new Visitor(server, ANN, "room/general"); Visitor bob = new Visitor(server, BOB, "room/general")) {
            ann.does(() -> _get(PubSubMessageList.class).setPersister(failing));
            assertThatThrownBy(() -> ann.does(() -> say("lost?"))).hasMessage("the database is down");

            assertThat(bob.sees(PubSubMessageListTest::messages)).isEmpty();
        }
    }

    @Test
    void aRefusalHandler_replacesTheNotification() {
        TestServer server = server(new TestServer(builder -> builder.sendBudget(0.001, 1)));
        List<String> told = new CopyOnWriteArrayList<>();
        try (Visitor ann = new Visitor(server, ANN, "room/general")) {
            ann.does(() -> _get(PubSubMessageInput.class).setRefusalHandler(refusal -> told.add(refusal.text())));
            ann.does(() -> say("first"));
            ann.does(() -> say("second"));

            assertThat(told).containsExactly("second");
            assertThat(ann.sees(() -> getNotifications())).isEmpty();
        }
    }

    @Test
    void aMessagePostedWhileAListReadsItsStore_showsOnce_neitherLostNorRepeated() {
        TestServer server = server(new TestServer());
        List<PostedMessage> stored = new CopyOnWriteArrayList<>();
        try (Visitor bob = new Visitor(server, BOB, "room/general")) {
            bob.does(() -> {
                _get(PubSubMessageList.class).setPersister(new ListPersister(stored));
                UI.getCurrent().navigate("room/seam");
            });
            // Ann's list reads the store; right after the read, Bob posts (stored, then sent): the list subscribed
            // before it read, so the post arrives live and shows, once
            MessagePersister postsDuringTheRead = new ListPersister(stored) {
                @Override
                public List<PostedMessage> recent(String topic) {
                    List<PostedMessage> read = super.recent(topic);
                    bob.does(() -> say("during the read")); // stored and sent after the store was read
                    return read;
                }
            };
            try (Visitor ann = new Visitor(server, ANN, "room/general")) {
                ann.does(() -> {
                    _get(PubSubMessageList.class).setPersister(postsDuringTheRead);
                    UI.getCurrent().navigate("room/seam");
                });
                assertThat(ann.sees(PubSubMessageListTest::messages)).containsExactly("Bob: during the read");
            }
        }
    }
}
