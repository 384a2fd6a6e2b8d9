package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The application's TopicAuthorizer decides what each page may do; a refusal fails at the call. */
class AuthorizationTest {

    private final VaadinApp app = new VaadinApp();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private UI admin;
    private UI guest;

    @BeforeEach
    void onlyTheAdminPageMayUseAdminTopics() {
        admin = app.browser().pushTab();
        guest = app.browser().pushTab();
        PubSubHub.builder().authorizer((ui, action, topic) -> {
            asked.add(ui.getUIId() + " " + action + " " + topic);
            return topic == null || !topic.startsWith("admin:") || ui.equals(admin);
        }).install(app.service);
    }

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void refusedSend_failsAtTheCall_andNothingIsSent() {
        Inbox adminInbox = new Inbox(admin);
        admin.accessSynchronously(() -> PubSub.current().subscribeTopic("admin:alerts", adminInbox::add));

        assertThatThrownBy(() -> PubSub.of(guest).sendAllOnTopic("admin:alerts", "spoofed"))
                .isInstanceOf(PubSubAccessDeniedException.class)
                .hasMessageContaining("UI " + guest.getUIId() + " may not send on topic 'admin:alerts'");
        assertThatThrownBy(() -> PubSub.of(guest).sendOthersOnTopic("admin:alerts", "spoofed"))
                .isInstanceOf(PubSubAccessDeniedException.class);
        PubSub.of(admin).sendAllOnTopic("admin:alerts", "real");
        app.deliver();

        assertThat(adminInbox.messages).containsExactly("real");
        assertThat(app.hub().stats().sent()).isEqualTo(1);
    }

    @Test
    void refusedSubscribeAndJoin_failAtTheCall_andLeaveNothingBehind() {
        guest.accessSynchronously(() -> {
            assertThatThrownBy(() -> PubSub.current().subscribeTopic("admin:alerts", m -> { }))
                    .isInstanceOf(PubSubAccessDeniedException.class).hasMessageContaining("may not subscribe");
            assertThatThrownBy(() -> PubSub.current().subscribeTopicWithHistory("admin:log", String.class, m -> { }))
                    .isInstanceOf(PubSubAccessDeniedException.class);
            assertThatThrownBy(() -> PubSub.current().subscribePresence("admin:room", e -> { }))
                    .isInstanceOf(PubSubAccessDeniedException.class);
            PubSubAccessDeniedException refused = org.junit.jupiter.api.Assertions.assertThrows(
                    PubSubAccessDeniedException.class, () -> PubSub.current().join("admin:room", "guest"));
            assertThat(refused.action()).isEqualTo(TopicAuthorizer.Action.JOIN);
            assertThat(refused.topic()).isEqualTo("admin:room");
        });

        assertThat(app.hub().stats().subscriptions()).isZero();
        assertThat(app.hub().presence("admin:room")).isEmpty();
    }

    @Test
    void theHookIsAskedForBroadcastsWithANullTopic_andServerSendsAreNotAsked() {
        guest.accessSynchronously(() -> PubSub.current().subscribe(m -> { }));
        PubSub.of(guest).sendAll("hi");
        app.hub().sendAllOnTopic("admin:alerts", "from a trusted service");

        assertThat(asked).containsExactly(guest.getUIId() + " SUBSCRIBE null", guest.getUIId() + " SEND null");
    }

    @Test
    void presenceList_isRefusedToAPageThatMayNotSubscribe_andShownToOneThatMay() {
        admin.accessSynchronously(() -> PubSub.current().join("admin:room", "Root"));
        app.deliver();

        assertThatThrownBy(() -> PubSub.of(guest).presence("admin:room"))
                .isInstanceOf(PubSubAccessDeniedException.class)
                .hasMessageContaining("UI " + guest.getUIId() + " may not subscribe on topic 'admin:room'");
        assertThat(PubSub.of(admin).presence("admin:room")).extracting(Presence::descriptor).containsExactly("Root");
        assertThat(app.hub().presence("admin:room")).as("server code is trusted").hasSize(1);
    }

    @Test
    void authorizer_getsThePage_onASendFromABackgroundThread_whereThereIsNoCurrentSession() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        VaadinApp other = new VaadinApp();
        try {
            UI page = other.browser().pushTab();
            PubSubHub.builder().authorizer((ui, action, topic) -> {
                // the javadoc's example: the user is found through the page, not through VaadinSession.getCurrent()
                seen.add((ui.getSession() != null) + " " + (com.vaadin.flow.server.VaadinSession.getCurrent() != null));
                return !"secret".equals(topic);
            }).install(other.service);
            PubSub pubsub = PubSub.of(page);

            java.util.concurrent.CompletableFuture.runAsync(() -> {
                pubsub.sendAllOnTopic("public", "from a worker");
                assertThatThrownBy(() -> pubsub.sendAllOnTopic("secret", "x")).isInstanceOf(PubSubAccessDeniedException.class);
            }).get(5, java.util.concurrent.TimeUnit.SECONDS);

            assertThat(seen).containsExactly("true false", "true false");
        } finally {
            other.close();
        }
    }
}
