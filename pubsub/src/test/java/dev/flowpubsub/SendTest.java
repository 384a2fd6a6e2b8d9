package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Who receives each of Flet's send verbs: three pages over two browser sessions. */
class SendTest {

    record Ping(int n) {
    }

    private VaadinApp app;
    private UI aliceTab1;
    private UI aliceTab2;
    private UI bob;
    private Inbox aliceTab1Inbox;
    private Inbox aliceTab2Inbox;
    private Inbox bobInbox;

    @BeforeEach
    void openThreePagesInTwoSessions() {
        app = new VaadinApp();
        VaadinApp.Browser alice = app.browser();
        aliceTab1 = alice.pushTab();
        aliceTab2 = alice.pushTab();
        bob = app.browser().pushTab();
        aliceTab1Inbox = new Inbox(aliceTab1);
        aliceTab2Inbox = new Inbox(aliceTab2);
        bobInbox = new Inbox(bob);
    }

    @AfterEach
    void close() {
        assertThat(aliceTab1Inbox.problems).isEmpty();
        assertThat(aliceTab2Inbox.problems).isEmpty();
        assertThat(bobInbox.problems).isEmpty();
        app.close();
    }

    private void subscribeAll() {
        aliceTab1.accessSynchronously(() -> PubSub.current().subscribe(aliceTab1Inbox::add));
        aliceTab2.accessSynchronously(() -> PubSub.current().subscribe(aliceTab2Inbox::add));
        bob.accessSynchronously(() -> PubSub.current().subscribe(bobInbox::add));
    }

    private void subscribeAllTo(String topic) {
        aliceTab1.accessSynchronously(() -> PubSub.current().subscribeTopic(topic, aliceTab1Inbox::addWithTopic));
        aliceTab2.accessSynchronously(() -> PubSub.current().subscribeTopic(topic, aliceTab2Inbox::addWithTopic));
        bob.accessSynchronously(() -> PubSub.current().subscribeTopic(topic, bobInbox::addWithTopic));
    }

    @Test
    void sendAll_reachesEverySubscribedPage_theSendersOwnIncluded() {
        subscribeAll();

        aliceTab1.accessSynchronously(() -> PubSub.current().sendAll("hello"));
        app.deliver();

        assertThat(aliceTab1Inbox.messages).containsExactly("hello");
        assertThat(aliceTab2Inbox.messages).containsExactly("hello");
        assertThat(bobInbox.messages).containsExactly("hello");
    }

    @Test
    void sendOthers_skipsOnlyTheSendingPage_anotherTabOfTheSameSessionReceives() {
        subscribeAll();

        PubSub.of(aliceTab1).sendOthers("hi others");
        app.deliver();

        assertThat(aliceTab1Inbox.messages).isEmpty();
        assertThat(aliceTab2Inbox.messages).containsExactly("hi others");
        assertThat(bobInbox.messages).containsExactly("hi others");
    }

    @Test
    void sendAllOnTopic_reachesOnlyThatTopicsSubscribers_withTheTopicName() {
        subscribeAllTo("room-1");
        bob.accessSynchronously(() -> PubSub.current().subscribeTopic("room-2", bobInbox::addWithTopic));

        PubSub.of(aliceTab1).sendAllOnTopic("room-2", "only bob");
        PubSub.of(aliceTab1).sendAllOnTopic("room-1", "everyone");
        app.deliver();

        assertThat(aliceTab1Inbox.messages).containsExactly("room-1|everyone");
        assertThat(aliceTab2Inbox.messages).containsExactly("room-1|everyone");
        assertThat(bobInbox.messages).containsExactly("room-2|only bob", "room-1|everyone");
    }

    @Test
    void sendOthersOnTopic_skipsOnlyTheSendingPage() {
        subscribeAllTo("room-1");

        PubSub.of(bob).sendOthersOnTopic("room-1", "from bob");
        app.deliver();

        assertThat(aliceTab1Inbox.messages).containsExactly("room-1|from bob");
        assertThat(aliceTab2Inbox.messages).containsExactly("room-1|from bob");
        assertThat(bobInbox.messages).isEmpty();
    }

    @Test
    void broadcastAndTopicMessages_goToTheirOwnHandlersOnly() {
        aliceTab1.accessSynchronously(() -> PubSub.current().subscribe(aliceTab1Inbox::add));
        bob.accessSynchronously(() -> PubSub.current().subscribeTopic("news", bobInbox::addWithTopic));

        PubSub.of(aliceTab2).sendAll("broadcast");
        PubSub.of(aliceTab2).sendAllOnTopic("news", "topical");
        app.deliver();

        assertThat(aliceTab1Inbox.messages).containsExactly("broadcast");
        assertThat(bobInbox.messages).containsExactly("news|topical");
    }

    @Test
    void oneArgumentTopicHandler_getsTheMessageAlone() {
        bob.accessSynchronously(() -> PubSub.current().subscribeTopic("news", message -> bobInbox.add(message)));

        app.hub().sendAllOnTopic("news", "just the message");
        app.deliver();

        assertThat(bobInbox.messages).containsExactly("just the message");
    }

    @Test
    void typedSubscribe_receivesOnlyInstancesOfItsType() {
        aliceTab1.accessSynchronously(() -> PubSub.current().subscribe(Ping.class, aliceTab1Inbox::add));
        bob.accessSynchronously(() -> PubSub.current().subscribeTopic("t", CharSequence.class,
                (topic, text) -> bobInbox.addWithTopic(topic, text.length())));

        PubSub.of(aliceTab2).sendAll("not a ping");
        PubSub.of(aliceTab2).sendAll(new Ping(7));
        PubSub.of(aliceTab2).sendAllOnTopic("t", new Ping(8));
        PubSub.of(aliceTab2).sendAllOnTopic("t", "four");
        app.deliver();

        assertThat(aliceTab1Inbox.messages).containsExactly(new Ping(7));
        assertThat(bobInbox.messages).containsExactly("t|4");
    }

    @Test
    void hubSendAll_fromCodeWithNoPage_reachesEveryPage() {
        subscribeAll();
        subscribeAllTo("prices");

        app.hub().sendAll("service says hi");
        app.hub().sendAllOnTopic("prices", 42);
        app.deliver();

        assertThat(aliceTab1Inbox.messages).containsExactly("service says hi", "prices|42");
        assertThat(aliceTab2Inbox.messages).containsExactly("service says hi", "prices|42");
        assertThat(bobInbox.messages).containsExactly("service says hi", "prices|42");
    }

    @Test
    void severalHandlersOfOnePage_eachReceiveOnce() {
        Inbox second = new Inbox(bob);
        bob.accessSynchronously(() -> {
            PubSub.current().subscribe(bobInbox::add);
            PubSub.current().subscribe(second::add);
        });

        app.hub().sendAll("twice subscribed");
        app.deliver();

        assertThat(bobInbox.messages).containsExactly("twice subscribed");
        assertThat(second.messages).containsExactly("twice subscribed");
        assertThat(app.hub().stats().delivered()).isEqualTo(1);
    }

    @Test
    void pageWithNoSubscription_receivesNothing_andSendingToNobodyIsFine() {
        app.hub().sendAll("nobody listens");
        app.hub().sendAllOnTopic("empty", "nobody here either");
        app.deliver();

        assertThat(app.hub().stats().sent()).isEqualTo(2);
        assertThat(app.hub().stats().delivered()).isZero();
    }
}
