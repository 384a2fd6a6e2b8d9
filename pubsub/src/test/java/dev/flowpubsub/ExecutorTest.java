package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where delivery runs, and that it stops with the application. */
class ExecutorTest {

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void givenExecutor_runsAllDeliveryWork_andIsNotShutDownByTheHub() {
        AtomicInteger tasks = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            PubSubHub hub = PubSubHub.builder().executor(task -> {
                tasks.incrementAndGet();
                pool.execute(task);
            }).install(app.service);
            UI page = app.browser().pushTab();
            Inbox inbox = new Inbox(page);
            page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));

            hub.sendAll("via the pool");
            app.deliver();
            hub.close();

            assertThat(inbox.messages).containsExactly("via the pool");
            assertThat(tasks.get()).isPositive();
            assertThat(pool.isShutdown()).isFalse();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void defaultHub_isClosedWithTheVaadinService_andThenRefusesToSend() {
        PubSubHub hub = app.hub();
        UI page = app.browser().pushTab();
        page.accessSynchronously(() -> PubSub.current().subscribe(message -> { }));

        app.service.destroy();

        assertThat(hub.isClosed()).isTrue();
        assertThat(hub.stats().subscribedUis()).isZero();
        assertThatThrownBy(() -> hub.sendAll("too late"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void closingTheHub_withAHandlerStillRunning_waitsBrieflyThenStops() {
        PubSubHub hub = PubSubHub.builder().install(app.service);
        UI page = app.browser().pushTab();
        page.accessSynchronously(() -> PubSub.current().subscribe(message -> { }));
        hub.sendAll("x");
        app.deliver();

        hub.close();
        hub.close(); // idempotent

        assertThat(hub.isClosed()).isTrue();
    }
}
