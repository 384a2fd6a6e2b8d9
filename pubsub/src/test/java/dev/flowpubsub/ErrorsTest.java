package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** A handler that throws is reported and stops nothing else. */
class ErrorsTest {

    private final VaadinApp app = new VaadinApp();
    private final List<DeliveryError> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void throwingHandler_isReportedWithUiTopicAndType_andEveryOtherHandlerAndPageStillReceives() {
        PubSubHub.builder().errorHandler(errors::add).install(app.service);
        UI failing = app.browser().pushTab();
        UI healthy = app.browser().pushTab();
        Inbox samePageInbox = new Inbox(failing);
        Inbox healthyInbox = new Inbox(healthy);
        failing.accessSynchronously(() -> {
            PubSub.current().subscribeTopic("orders", message -> {
                throw new IllegalStateException("boom");
            });
            PubSub.current().subscribeTopic("orders", samePageInbox::add);
        });
        healthy.accessSynchronously(() -> PubSub.current().subscribeTopic("orders", healthyInbox::add));

        app.hub().sendAllOnTopic("orders", 1);
        app.hub().sendAllOnTopic("orders", 2);
        app.deliver();

        assertThat(samePageInbox.messages).containsExactly(1, 2);
        assertThat(healthyInbox.messages).containsExactly(1, 2);
        assertThat(errors).hasSize(2);
        DeliveryError first = errors.getFirst();
        assertThat(first.uiId()).isEqualTo(failing.getUIId());
        assertThat(first.topic()).isEqualTo("orders");
        assertThat(first.messageType()).isEqualTo(Integer.class);
        assertThat(first.cause()).hasMessage("boom");
        assertThat(first.describe()).contains("UI " + failing.getUIId(), "topic 'orders'", "java.lang.Integer", "boom");
        assertThat(app.hub().stats().failed()).isEqualTo(2);
    }

    @Test
    void errorHandlerThatThrowsItself_doesNotStopDelivery() {
        PubSubHub.builder().errorHandler(error -> {
            throw new IllegalArgumentException("the error handler is broken too");
        }).install(app.service);
        UI page = app.browser().pushTab();
        Inbox inbox = new Inbox(page);
        page.accessSynchronously(() -> {
            PubSub.current().subscribe(message -> {
                throw new IllegalStateException("boom");
            });
            PubSub.current().subscribe(inbox::add);
        });

        app.hub().sendAll("still delivered");
        app.deliver();

        assertThat(inbox.messages).containsExactly("still delivered");
        assertThat(app.hub().stats().failed()).isEqualTo(1);
    }

    @Test
    void defaultErrorHandler_keepsDelivering_andNothingReachesVaadinsSessionErrorHandler() {
        UI page = app.browser().pushTab();
        Inbox inbox = new Inbox(page);
        page.accessSynchronously(() -> {
            PubSub.current().subscribe(message -> {
                throw new IllegalStateException("logged by the default error handler (expected in this test)");
            });
            PubSub.current().subscribe(inbox::add);
        });

        app.hub().sendAll("x");
        app.deliver();

        assertThat(inbox.messages).containsExactly("x");
        assertThat(app.hub().stats().failed()).isEqualTo(1);
        assertThat(app.sessionErrors()).isEmpty();
    }
}
