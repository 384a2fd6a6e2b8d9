package dev.flowpubsub.collaboration;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.avatar.AvatarGroup;
import dev.flowpubsub.testing.InMemoryEngine;
import dev.flowpubsub.testing.InMemoryTransport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Who is here, as people on one server and on two see it. */
class PubSubAvatarGroupTest {

    private static final UserInfo ANN = UserInfo.of("ann", "Ann");
    private static final UserInfo BOB = UserInfo.of("bob", "Bob").withImage("/bob.png");
    private static final UserInfo CID = UserInfo.of("cid", "Cid").withAbbreviation("C!");

    private final TestServer server = new TestServer();

    @AfterEach
    void stop() {
        if (server.getService() != null) {
            server.destroy();
        }
        MockVaadin.tearDown();
    }

    /** The avatars' names as the group shows them. */
    private static List<String> avatars() {
        return _get(AvatarGroup.class).getItems().stream().map(AvatarGroup.AvatarGroupItem::getName).toList();
    }

    private static void eventually(Callable<List<String>> look, List<String> expected) {
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(look.call()).isEqualTo(expected));
    }

    @Test
    void everyoneInTheRoom_showsOnEveryPage_inTheOrderTheyCame_withTheirPictureLettersAndColour() {
        try (Visitor ann = new Visitor(server, ANN, "room/general");
             Visitor bob = new Visitor(server, BOB, "room/general");
             Visitor cid = new Visitor(server, CID, "room/general")) {
            assertThat(ann.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Ann", "Bob", "Cid");
            assertThat(bob.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Ann", "Bob", "Cid");
            assertThat(cid.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Ann", "Bob", "Cid");

            List<AvatarGroup.AvatarGroupItem> items = ann.sees(() -> _get(AvatarGroup.class).getItems());
            assertThat(items.get(1).getImage()).isEqualTo("/bob.png");
            assertThat(items.get(2).getAbbreviation()).isEqualTo("C!");
            assertThat(items.get(0).getColorIndex()).isEqualTo(ANN.colorIndex());
        }
    }

    @Test
    void oneUserInThreeTabs_showsOnce_andStaysUntilTheLastTabCloses() {
        try (Visitor ann = new Visitor(server, ANN, "room/general")) {
            Visitor bobTab1 = new Visitor(server, BOB, "room/general");
            Visitor bobTab2 = new Visitor(server, BOB, "room/general");
            try (Visitor bobTab3 = new Visitor(server, BOB, "room/general")) {
                assertThat(ann.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Ann", "Bob");

                bobTab1.leave();
                bobTab2.leave();
                assertThat(ann.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Ann", "Bob");
                assertThat(bobTab3.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Ann", "Bob");
            }
            assertThat(ann.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Ann");
        }
    }

    @Test
    void anotherRoom_showsOnlyWhoIsThere_andLeavingARoomLeavesIt() {
        try (Visitor ann = new Visitor(server, ANN, "room/general");
             Visitor bob = new Visitor(server, BOB, "room/random")) {
            assertThat(ann.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Ann");

            ann.does(() -> UI.getCurrent().navigate("room/random"));

            assertThat(bob.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Bob", "Ann");
            ann.does(() -> UI.getCurrent().navigate("room/general"));
            assertThat(bob.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Bob");
        }
    }

    @Test
    void withoutTheOwnAvatar_showsOnlyTheOthers() {
        try (Visitor ann = new Visitor(server, ANN, "room/general");
             Visitor bob = new Visitor(server, BOB, "room/general")) {
            ann.does(() -> _get(PubSubAvatarGroup.class).setOwnAvatarVisible(false));

            assertThat(ann.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Bob");
            assertThat(bob.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Ann", "Bob");
        }
    }

    @Test
    void peopleOnTwoServers_showOnBoth_andOneUserOnBothServersShowsOnce() {
        InMemoryTransport.Bus bus = new InMemoryTransport.Bus(InMemoryEngine.threaded());
        TestServer a = TestServer.onNode(bus, "a");
        TestServer b = TestServer.onNode(bus, "b");
        try (Visitor ann = new Visitor(a, ANN, "room/general");
             Visitor bob = new Visitor(b, BOB, "room/general")) {
            eventually(() -> ann.sees(PubSubAvatarGroupTest::avatars), List.of("Ann", "Bob"));
            eventually(() -> bob.sees(PubSubAvatarGroupTest::avatars), List.of("Ann", "Bob"));

            try (Visitor bobOnA = new Visitor(a, BOB, "room/general")) {
                eventually(() -> ann.sees(PubSubAvatarGroupTest::avatars), List.of("Ann", "Bob"));
                assertThat(bobOnA.sees(PubSubAvatarGroupTest::avatars)).containsExactlyInAnyOrder("Ann", "Bob");
            }
            bob.leave();
            eventually(() -> ann.sees(PubSubAvatarGroupTest::avatars), List.of("Ann"));
        } finally {
            a.destroy();
            b.destroy();
        }
    }

    @Test
    void somethingElsePresentOnTheTopic_isNotShownAsAUser() {
        try (Visitor ann = new Visitor(server, ANN, "room/general")) {
            ann.does(() -> dev.flowpubsub.PubSub.current().join("room:general", "a plain string, not a user"));

            assertThat(ann.sees(PubSubAvatarGroupTest::avatars)).containsExactly("Ann");
        }
    }
}
