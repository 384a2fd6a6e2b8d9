package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Who is present on a topic: pages join with a descriptor, leave explicitly or by going away. */
class PresenceTest {

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    private static List<Object> descriptors(List<Presence> present) {
        return present.stream().map(Presence::descriptor).toList();
    }

    private static String describe(Object event) {
        PresenceEvent presenceEvent = (PresenceEvent) event;
        return presenceEvent.kind() + " " + presenceEvent.presence().descriptor();
    }

    @Test
    void join_makesThePagePresentForEveryone_andRemoveLeaves() {
        UI ann = app.browser().pushTab();
        UI bob = app.browser().pushTab();
        AtomicReference<Registration> annHere = new AtomicReference<>();

        ann.accessSynchronously(() -> annHere.set(PubSub.current().join("room:lobby", "Ann")));
        bob.accessSynchronously(() -> PubSub.current().join("room:lobby", "Bob"));
        app.deliver();

        assertThat(descriptors(PubSub.of(bob).presence("room:lobby"))).containsExactly("Ann", "Bob");
        assertThat(descriptors(app.hub().presence("room:lobby"))).containsExactly("Ann", "Bob");
        assertThat(app.hub().presence("room:other")).isEmpty();

        annHere.get().remove();
        annHere.get().remove();
        app.deliver();
        assertThat(descriptors(app.hub().presence("room:lobby"))).containsExactly("Bob");
    }

    @Test
    void subscribePresence_firstGetsEveryoneAlreadyPresent_thenEachJoinAndLeave() {
        UI ann = app.browser().pushTab();
        UI watcher = app.browser().pushTab();
        UI bob = app.browser().pushTab();
        Inbox events = new Inbox(watcher);
        ann.accessSynchronously(() -> PubSub.current().join("room:lobby", "Ann"));
        app.deliver();

        watcher.accessSynchronously(() -> PubSub.current().subscribePresence("room:lobby", events::add));
        AtomicReference<Registration> bobHere = new AtomicReference<>();
        bob.accessSynchronously(() -> bobHere.set(PubSub.current().join("room:lobby", "Bob")));
        app.deliver();
        bobHere.get().remove();
        app.deliver();

        assertThat(events.messages.stream().map(PresenceTest::describe))
                .containsExactly("PRESENT Ann", "JOIN Bob", "LEAVE Bob");
        assertThat(events.problems).isEmpty();
    }

    @Test
    void closingTheTab_orExpiringTheSession_leavesEveryTopicThePageJoined() {
        VaadinApp.Browser annBrowser = app.browser();
        UI annTab1 = annBrowser.pushTab();
        UI annTab2 = annBrowser.pushTab();
        UI bob = app.browser().pushTab();
        Inbox events = new Inbox(bob);
        bob.accessSynchronously(() -> PubSub.current().subscribePresence("room:a", events::add));
        annTab1.accessSynchronously(() -> {
            PubSub.current().join("room:a", "Ann (tab 1)");
            PubSub.current().join("room:b", "Ann (tab 1)");
        });
        annTab2.accessSynchronously(() -> PubSub.current().join("room:a", "Ann (tab 2)"));
        app.deliver();

        annBrowser.closeTab(annTab1);
        app.deliver();
        assertThat(descriptors(app.hub().presence("room:a"))).containsExactly("Ann (tab 2)");
        assertThat(app.hub().presence("room:b")).isEmpty();

        annBrowser.expire();
        app.deliver();
        assertThat(app.hub().presence("room:a")).isEmpty();
        assertThat(events.messages.stream().map(PresenceTest::describe)).containsExactly(
                "JOIN Ann (tab 1)", "JOIN Ann (tab 2)", "LEAVE Ann (tab 1)", "LEAVE Ann (tab 2)");
        assertThat(app.hub().stats().subscribedUis()).isEqualTo(1);
    }

    @Test
    void join_tellsThePageWhichEntryIsItsOwn() {
        UI ann = app.browser().pushTab();
        UI annOtherTab = app.browser().pushTab();
        AtomicReference<PresenceRegistration> mine = new AtomicReference<>();
        ann.accessSynchronously(() -> mine.set(PubSub.current().join("room:a", "Ann")));
        annOtherTab.accessSynchronously(() -> PubSub.current().join("room:a", "Ann"));
        app.deliver();

        List<Presence> present = app.hub().presence("room:a");
        assertThat(present).hasSize(2).contains(mine.get().presence());
        assertThat(present.stream().filter(p -> p.id().equals(mine.get().presence().id()))).hasSize(1);
    }

    @Test
    void aPageThatOnlyJoined_isKeptByTheHubUntilItLeaves() {
        UI ann = app.browser().pushTab();
        AtomicReference<Registration> here = new AtomicReference<>();
        ann.accessSynchronously(() -> here.set(PubSub.current().join("room:a", "Ann")));
        app.deliver();

        assertThat(app.hub().stats().subscribedUis()).isEqualTo(1);
        here.get().remove();
        app.deliver();
        assertThat(app.hub().stats().subscribedUis()).isZero();
    }

    @Test
    void badJoins_failAtTheCall() {
        UI ann = app.browser().pushTab();
        ann.accessSynchronously(() -> {
            assertThatThrownBy(() -> PubSub.current().join("room:a", null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("descriptor must not be null");
            assertThatThrownBy(() -> PubSub.current().join(" ", "Ann")).hasMessageContaining("topic must not be blank");
            assertThatThrownBy(() -> PubSub.current().join("a\u0000b", "Ann")).hasMessageContaining("NUL");
        });
        assertThatThrownBy(() -> PubSub.of(ann).join("room:a", "Ann")).hasMessageContaining("session lock");
    }
}
