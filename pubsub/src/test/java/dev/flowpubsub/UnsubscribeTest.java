package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.Registration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** What each of Flet's unsubscribe verbs, and a Registration, removes; and what it leaves. */
class UnsubscribeTest {

    private final VaadinApp app = new VaadinApp();
    private final UI page = app.browser().pushTab();
    private final UI other = app.browser().pushTab();
    private final Inbox inbox = new Inbox(page);
    private final Inbox otherInbox = new Inbox(other);

    @AfterEach
    void close() {
        assertThat(inbox.problems).isEmpty();
        app.close();
    }

    private void sendOneOfEach() {
        PubSub.of(other).sendAll("broadcast");
        PubSub.of(other).sendAllOnTopic("a", "on a");
        PubSub.of(other).sendAllOnTopic("b", "on b");
        app.deliver();
    }

    private void subscribeToEverything() {
        page.accessSynchronously(() -> {
            PubSub pubsub = PubSub.current();
            pubsub.subscribe(inbox::add);
            pubsub.subscribeTopic("a", inbox::addWithTopic);
            pubsub.subscribeTopic("b", inbox::addWithTopic);
        });
    }

    @Test
    void registrationRemove_endsThatHandlerOnly_andASecondRemoveIsHarmless() {
        Inbox second = new Inbox(page);
        AtomicReference<Registration> first = new AtomicReference<>();
        page.accessSynchronously(() -> {
            first.set(PubSub.current().subscribe(inbox::add));
            PubSub.current().subscribe(second::add);
        });

        first.get().remove();
        first.get().remove();
        sendOneOfEach();

        assertThat(inbox.messages).isEmpty();
        assertThat(second.messages).containsExactly("broadcast");
        assertThat(PubSub.of(page).subscriptionCount()).isEqualTo(1);
    }

    @Test
    void unsubscribe_removesBroadcastHandlers_andKeepsTopicHandlers() {
        subscribeToEverything();

        PubSub.of(page).unsubscribe();
        sendOneOfEach();

        assertThat(inbox.messages).containsExactly("a|on a", "b|on b");
    }

    @Test
    void unsubscribeTopic_removesThatTopicOnly() {
        subscribeToEverything();

        PubSub.of(page).unsubscribeTopic("a");
        sendOneOfEach();

        assertThat(inbox.messages).containsExactly("broadcast", "b|on b");
        assertThat(app.hub().stats().topics()).isEqualTo(1);
    }

    @Test
    void unsubscribeAll_removesEverything_andTheHubForgetsThePage() {
        subscribeToEverything();
        other.accessSynchronously(() -> PubSub.current().subscribe(otherInbox::add));

        PubSub.of(page).unsubscribeAll();
        sendOneOfEach();

        assertThat(inbox.messages).isEmpty();
        assertThat(otherInbox.messages).containsExactly("broadcast");
        PubSubStats stats = app.hub().stats();
        assertThat(stats.subscribedUis()).isEqualTo(1);
        assertThat(stats.subscriptions()).isEqualTo(1);
        assertThat(stats.topics()).isZero();
    }

    @Test
    void unsubscribingEverythingOneByOne_alsoLetsTheHubForgetThePage() {
        AtomicReference<Registration> broadcast = new AtomicReference<>();
        AtomicReference<Registration> topic = new AtomicReference<>();
        page.accessSynchronously(() -> {
            broadcast.set(PubSub.current().subscribe(inbox::add));
            topic.set(PubSub.current().subscribeTopic("a", inbox::addWithTopic));
        });

        broadcast.get().remove();
        topic.get().remove();

        assertThat(app.hub().stats().subscribedUis()).isZero();
        assertThat(app.hub().stats().topics()).isZero();
    }

    @Test
    void pageCanSubscribeAgain_afterUnsubscribeAll() {
        subscribeToEverything();
        PubSub.of(page).unsubscribeAll();

        page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));
        sendOneOfEach();

        assertThat(inbox.messages).containsExactly("broadcast");
    }

    @Test
    void handlerThatUnsubscribesItself_getsNoFurtherMessages() {
        AtomicReference<Registration> self = new AtomicReference<>();
        page.accessSynchronously(() -> self.set(PubSub.current().subscribe(message -> {
            inbox.add(message);
            self.get().remove();
        })));

        PubSub.of(other).sendAll("first");
        PubSub.of(other).sendAll("second");
        app.deliver();

        assertThat(inbox.messages).containsExactly("first");
    }

    @Test
    void unsubscribing_whatWasNeverSubscribed_isHarmless() {
        PubSub.of(page).unsubscribe();
        PubSub.of(page).unsubscribeTopic("never");
        PubSub.of(page).unsubscribeAll();

        assertThat(app.hub().stats().subscribedUis()).isZero();
    }
}
