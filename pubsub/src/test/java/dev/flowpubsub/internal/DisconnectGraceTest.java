package dev.flowpubsub.internal;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.Presence;
import dev.flowpubsub.PresenceEvent;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.VaadinApp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A page whose push connection is lost leaves its presence once the grace has passed, and joins again when it is back;
 * a reconnect within the grace changes nothing. Flow's connection events are played here on the watched connection;
 * {@code PushWatchBrowserTest} in the chat does it with a real browser killed and a real network cut.
 */
class DisconnectGraceTest {

    private static final Duration GRACE = Duration.ofMillis(300);

    private final VaadinApp app = new VaadinApp();
    private final List<String> events = new CopyOnWriteArrayList<>();
    private PubSubHub hub;

    @AfterEach
    void close() {
        app.close();
    }

    /** A page with push, watched as {@link PubSubServiceInitListener} does for every UI Vaadin bootstraps, present on "room". */
    private UI present(String name) {
        UI ui = app.browser().pushTab();
        ui.accessSynchronously(() -> {
            PushWatch.watch(ui);
            PubSub.current().join("room", name);
        });
        return ui;
    }

    private void observe() {
        UI observer = app.browser().pushTab();
        observer.accessSynchronously(() -> PubSub.current().subscribePresence("room",
                (PresenceEvent event) -> events.add(event.kind() + " " + event.presence().descriptor())));
    }

    private static PushWatch.WatchedPushConnection connection(UI ui) {
        return (PushWatch.WatchedPushConnection) ui.getInternals().getPushConnection();
    }

    private List<Object> present() {
        return hub.presence("room").stream().map(Presence::descriptor).toList();
    }

    @Test
    void lostConnection_endsThePresenceOnceTheGraceHasPassed_andAReturnJoinsAgain() throws InterruptedException {
        hub = PubSubHub.builder().presenceDisconnectGrace(GRACE).install(app.service);
        observe();
        UI ann = present("Ann");
        app.deliver();

        ann.accessSynchronously(() -> connection(ann).listener.pushLost());
        Thread.sleep(GRACE.toMillis() / 3);
        app.deliver();
        assertThat(present()).as("within the grace").containsExactly("Ann");
        await().atMost(Duration.ofSeconds(5)).until(() -> present().isEmpty());

        ann.accessSynchronously(() -> connection(ann).listener.pushRestored());
        await().atMost(Duration.ofSeconds(5)).until(() -> present().equals(List.of("Ann")));
        app.deliver();
        assertThat(events).containsExactly("JOIN Ann", "LEAVE Ann", "JOIN Ann");
    }

    @Test
    void reconnectWithinTheGrace_changesNothing() throws InterruptedException {
        hub = PubSubHub.builder().presenceDisconnectGrace(GRACE).install(app.service);
        observe();
        UI ann = present("Ann");

        ann.accessSynchronously(() -> connection(ann).listener.pushLost());
        Thread.sleep(GRACE.toMillis() / 3);
        ann.accessSynchronously(() -> connection(ann).listener.pushRestored());
        Thread.sleep(GRACE.toMillis() * 2);
        app.deliver();

        assertThat(present()).containsExactly("Ann");
        assertThat(events).containsExactly("JOIN Ann");
    }

    @Test
    void tabClosedAfterItsConnectionWasLost_leavesOnce() throws InterruptedException {
        hub = PubSubHub.builder().presenceDisconnectGrace(GRACE).install(app.service);
        observe();
        VaadinApp.Browser browser = app.browser();
        UI ann = browser.pushTab();
        ann.accessSynchronously(() -> {
            PushWatch.watch(ann);
            PubSub.current().join("room", "Ann");
        });

        ann.accessSynchronously(() -> connection(ann).listener.pushLost());
        browser.closeTab(ann);
        Thread.sleep(GRACE.toMillis() * 2);
        app.deliver();

        assertThat(present()).isEmpty();
        assertThat(events).containsExactly("JOIN Ann", "LEAVE Ann");
    }

    @Test
    void everyUiGetsAWatchedConnection_andOneWithoutPushIsLeftAlone() {
        hub = PubSubHub.builder().install(app.service);
        UI withPush = app.browser().pushTab();
        UI withoutPush = app.browser().tab();
        withPush.accessSynchronously(() -> PushWatch.watch(withPush));
        withoutPush.accessSynchronously(() -> {
            PushWatch.watch(withoutPush);
            PubSub.current().join("room", "Bob"); // nothing to watch, and no failure
        });

        assertThat(withPush.getInternals().getPushConnection()).isInstanceOf(PushWatch.WatchedPushConnection.class);
        assertThat(withoutPush.getPushConfiguration().getPushMode().isEnabled()).isFalse();
        withoutPush.accessSynchronously(() -> withoutPush.getPushConfiguration()
                .setPushMode(com.vaadin.flow.shared.communication.PushMode.AUTOMATIC));
        assertThat(withoutPush.getInternals().getPushConnection())
                .as("a connection Vaadin creates later").isInstanceOf(PushWatch.WatchedPushConnection.class);
    }

    @Test
    void aReturnRacingTheEndOfTheGrace_leavesThePagePresent_whateverTheOrder() throws InterruptedException {
        hub = PubSubHub.builder().presenceDisconnectGrace(Duration.ZERO).install(app.service);
        UI ann = present("Ann");
        app.deliver();
        for (int round = 0; round < 200; round++) {
            ann.accessSynchronously(() -> connection(ann).listener.pushLost()); // the grace ends at once, on the timer
            ann.accessSynchronously(() -> connection(ann).listener.pushRestored());
        }
        Thread.sleep(100);
        app.deliver();

        assertThat(present()).as("back, so present").containsExactly("Ann");
    }

    @Test
    void aPresenceRemovedWhileTheConnectionIsBack_isNotAnnouncedAgain() throws InterruptedException {
        hub = PubSubHub.builder().presenceDisconnectGrace(Duration.ZERO).install(app.service);
        for (int round = 0; round < 50; round++) {
            UI ann = app.browser().pushTab();
            dev.flowpubsub.PresenceRegistration[] here = new dev.flowpubsub.PresenceRegistration[1];
            ann.accessSynchronously(() -> {
                PushWatch.watch(ann);
                here[0] = PubSub.current().join("room", "Ann");
                PubSub.current().subscribe(message -> { }); // the page stays with the hub after it leaves the room
            });
            ann.accessSynchronously(() -> connection(ann).listener.pushLost());
            Thread.sleep(2);
            Thread remover = Thread.ofPlatform().start(() -> here[0].remove());
            ann.accessSynchronously(() -> connection(ann).listener.pushRestored());
            remover.join();
        }
        Thread.sleep(100);
        app.deliver();

        assertThat(present()).as("everyone left the room").isEmpty();
    }
}
