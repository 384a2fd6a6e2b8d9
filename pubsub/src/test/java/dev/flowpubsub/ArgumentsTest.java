package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bad input fails at the call that caused it, saying what was wrong and what is allowed; nothing is sent. */
class ArgumentsTest {

    private final VaadinApp app = new VaadinApp();
    private final UI page = app.browser().pushTab();

    @AfterEach
    void close() {
        app.close();
    }

    private PubSub pubsub() {
        return PubSub.of(page);
    }

    @Test
    void nullOrBlankTopic_isRefusedByEveryTopicCall() {
        page.accessSynchronously(() -> {
            assertThatThrownBy(() -> pubsub().subscribeTopic(null, m -> { }))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("topic must not be null");
            assertThatThrownBy(() -> pubsub().subscribeTopic("  ", (t, m) -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("topic must not be blank");
            assertThatThrownBy(() -> pubsub().subscribeTopic("", String.class, m -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-blank");
        });
        assertThatThrownBy(() -> pubsub().sendAllOnTopic((String) null, "x")).hasMessageContaining("topic must not be null");
        assertThatThrownBy(() -> pubsub().sendOthersOnTopic("\t", "x")).hasMessageContaining("topic must not be blank");
        assertThatThrownBy(() -> app.hub().sendAllOnTopic(" ", "x")).hasMessageContaining("topic must not be blank");
        assertThatThrownBy(() -> pubsub().unsubscribeTopic(null)).hasMessageContaining("topic must not be null");
        assertThat(app.hub().stats().sent()).isZero();
        assertThat(app.hub().stats().subscriptions()).isZero();
    }

    @Test
    void nullMessage_isRefusedByEverySend_andNothingIsSent() {
        assertThatThrownBy(() -> pubsub().sendAll(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("message must not be null");
        assertThatThrownBy(() -> pubsub().sendOthers(null)).hasMessageContaining("message must not be null");
        assertThatThrownBy(() -> pubsub().sendAllOnTopic("t", null)).hasMessageContaining("message must not be null");
        assertThatThrownBy(() -> pubsub().sendOthersOnTopic("t", null)).hasMessageContaining("message must not be null");
        assertThatThrownBy(() -> app.hub().sendAll(null)).hasMessageContaining("message must not be null");
        assertThat(app.hub().stats().sent()).isZero();
    }

    @Test
    void nullHandlerOrType_andPrimitiveType_areRefused() {
        page.accessSynchronously(() -> {
            assertThatThrownBy(() -> pubsub().subscribe((MessageHandler<Object>) null))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("handler must not be null");
            assertThatThrownBy(() -> pubsub().subscribeTopic("t", (TopicMessageHandler<Object>) null))
                    .hasMessageContaining("handler must not be null");
            assertThatThrownBy(() -> pubsub().subscribe(null, m -> { }))
                    .isInstanceOf(NullPointerException.class).hasMessageContaining("type must not be null");
            assertThatThrownBy(() -> pubsub().subscribe(int.class, m -> { }))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Integer.class");
        });
        assertThat(app.hub().stats().subscriptions()).isZero();
    }

    @Test
    void subscribingWithoutTheSessionLock_failsWithTheFix() {
        assertThatThrownBy(() -> pubsub().subscribe(m -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("needs the session lock of UI " + page.getUIId())
                .hasMessageContaining("ui.access");
    }

    @Test
    void pubSubOfADetachedUi_isRefused() {
        UI neverAttached = new UI();
        assertThatThrownBy(() -> PubSub.of(neverAttached))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not attached to a session");
        assertThatThrownBy(() -> PubSub.of(null))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("ui must not be null");
    }

    @Test
    void currentOutsideAUiThread_failsWithTheAlternatives() {
        UI.setCurrent(null);
        assertThatThrownBy(PubSub::current)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("PubSub.of(ui)");
    }

    @Test
    void closedHub_refusesSendsAndSubscribes() {
        PubSubHub hub = PubSubHub.builder().build();
        hub.close();
        assertThatThrownBy(() -> hub.sendAll("x")).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        page.accessSynchronously(() -> assertThatThrownBy(() -> hub.pubSub(page).subscribe(m -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed"));
    }

    @Test
    void builderRejectsNonsense() {
        assertThatThrownBy(() -> PubSubHub.builder().queueCapacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("queueCapacity must be at least 1");
        assertThatThrownBy(() -> PubSubHub.builder().overflowPolicy(null)).hasMessageContaining("overflowPolicy must not be null");
        assertThatThrownBy(() -> PubSubHub.builder().executor(null)).hasMessageContaining("executor must not be null");
    }

    @Test
    void installingASecondHub_afterPagesSubscribed_isRefused() {
        page.accessSynchronously(() -> PubSub.current().subscribe(m -> { }));
        assertThatThrownBy(() -> PubSubHub.builder().install(app.service))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("VaadinServiceInitListener");
    }
}
