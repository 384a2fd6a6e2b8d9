package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.communication.PushMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No fault in a handler, an error handler, a push, a policy or the executor silences a page or the hub for good:
 * the message that met the fault may be lost to that handler, every later one is delivered.
 */
class DeliveryFaultsTest {

    private final VaadinApp app = new VaadinApp();
    private final List<DeliveryError> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        app.close();
    }

    @Test
    void handlerThrowingStackOverflowError_isReported_andThePageKeepsReceiving() {
        PubSubHub hub = PubSubHub.builder().errorHandler(errors::add).install(app.service);
        UI page = app.browser().pushTab();
        Inbox inbox = new Inbox(page);
        page.accessSynchronously(() -> PubSub.current().subscribe(message -> {
            if ("deep".equals(message)) {
                throw new StackOverflowError("handler recursed too deep");
            }
            inbox.add(message);
        }));

        hub.sendAll("deep");
        app.deliver();
        hub.sendAll("after");
        app.deliver();

        assertThat(inbox.messages).containsExactly("after");
        assertThat(errors).singleElement().satisfies(error -> assertThat(error.cause()).isInstanceOf(StackOverflowError.class));
        assertThat(hub.stats().pending()).isZero();
    }

    @Test
    void errorHandlerThrowingAnError_doesNotSilenceThePage() {
        PubSubHub hub = PubSubHub.builder().errorHandler(error -> {
            throw new AssertionError("the error handler is broken");
        }).install(app.service);
        UI page = app.browser().pushTab();
        Inbox inbox = new Inbox(page);
        page.accessSynchronously(() -> PubSub.current().subscribe(message -> {
            if ("bad".equals(message)) {
                throw new IllegalStateException("boom");
            }
            inbox.add(message);
        }));

        hub.sendAll("bad");
        app.deliver();
        hub.sendAll("good");
        app.deliver();

        assertThat(inbox.messages).containsExactly("good");
        assertThat(hub.stats().failed()).isEqualTo(1);
    }

    @Test
    void failingPushInManualPushMode_doesNotSilenceThePage() {
        PubSubHub hub = PubSubHub.builder().install(app.service);
        AtomicInteger pushes = new AtomicInteger();
        UI page = app.browser().tab(() -> new UI() {
            @Override
            public void push() {
                pushes.incrementAndGet();
                throw new IllegalStateException("the push connection is broken");
            }
        });
        page.accessSynchronously(() -> page.getPushConfiguration().setPushMode(PushMode.MANUAL));
        Inbox inbox = new Inbox(page);
        page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));

        hub.sendAll("first");
        app.deliver();
        hub.sendAll("second");
        app.deliver();

        assertThat(inbox.messages).containsExactly("first", "second");
        assertThat(pushes.get()).isEqualTo(2);
    }

    @Test
    void historyPolicyThrowingAnError_doesNotSilenceTheHub() {
        PubSubHub hub = PubSubHub.builder().history(topic -> {
            if (topic.equals("cursed")) {
                throw new StackOverflowError("policy recursed too deep");
            }
            return 0;
        }).install(app.service);
        UI page = app.browser().pushTab();
        Inbox inbox = new Inbox(page);
        Inbox cursed = new Inbox(page);
        Inbox withHistory = new Inbox(page);
        page.accessSynchronously(() -> {
            PubSub.current().subscribeTopic("fine", inbox::add);
            PubSub.current().subscribeTopic("cursed", cursed::add);
            PubSub.current().subscribeTopicWithHistory("cursed", String.class, withHistory::add);
        });

        hub.sendAllOnTopic("cursed", "delivered, without history");
        app.deliver();
        hub.sendAllOnTopic("fine", "delivered");
        app.deliver();

        assertThat(inbox.messages).containsExactly("delivered");
        assertThat(cursed.messages).containsExactly("delivered, without history");
        assertThat(withHistory.messages).as("a subscription with history starts, with none").containsExactly(
                "delivered, without history");
    }

    @Test
    void executorThatRunsTasksOnTheCallersThread_stillDeliversToEveryPage() {
        // a send from a page holding its session lock then drains other pages on that same thread, which Vaadin
        // refuses (another session is locked): the batch must run later, not be forgotten
        PubSubHub hub = PubSubHub.builder().executor(Runnable::run).install(app.service);
        UI sender = app.browser().pushTab();
        UI reader = app.browser().pushTab();
        Inbox inbox = new Inbox(reader);
        reader.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));

        sender.accessSynchronously(() -> PubSub.current().sendAll("first"));
        sender.accessSynchronously(() -> PubSub.current().sendAll("second"));

        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> inbox.messages.size() == 2);
        assertThat(inbox.messages).containsExactly("first", "second");
        assertThat(hub.stats().pending()).isZero();
    }

    @Test
    void executorThatThrowsSomethingElseThanARejection_delaysDeliveryButLosesNothing() {
        AtomicInteger refusals = new AtomicInteger(5);
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try {
            PubSubHub hub = PubSubHub.builder().executor(task -> {
                if (refusals.getAndDecrement() > 0) {
                    throw new IllegalStateException("the pool is being reconfigured");
                }
                threads.execute(task);
            }).install(app.service);
            UI page = app.browser().pushTab();
            Inbox inbox = new Inbox(page);
            page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));

            hub.sendAll("one");
            hub.sendAll("two");
            app.deliver();

            assertThat(inbox.messages).containsExactly("one", "two");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void executorThatRejectsTasks_delaysDeliveryButLosesNothing() {
        // one thread and no queue: most submissions are refused while that thread is busy
        ThreadPoolExecutor tiny = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new SynchronousQueue<>(),
                new ThreadPoolExecutor.AbortPolicy());
        try {
            PubSubHub hub = PubSubHub.builder().executor(tiny).install(app.service);
            List<Inbox> inboxes = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                UI page = app.browser().pushTab();
                Inbox inbox = new Inbox(page);
                inboxes.add(inbox);
                page.accessSynchronously(() -> PubSub.current().subscribe(inbox::add));
            }
            List<Object> sent = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                hub.sendAll(i);
                sent.add(i);
            }
            app.deliver();

            for (Inbox inbox : inboxes) {
                assertThat(inbox.messages).containsExactlyElementsOf(sent);
            }
            assertThat(hub.stats().dropped()).isZero();
        } finally {
            tiny.shutdownNow();
        }
    }

    @Test
    void hubThreads_inheritNoInheritableThreadLocals_fromTheSender() {
        InheritableThreadLocal<String> securityContext = new InheritableThreadLocal<>();
        PubSubHub hub = PubSubHub.builder().install(app.service);
        List<UI> pages = new ArrayList<>();
        List<String> seen = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 5; i++) {
            UI page = app.browser().pushTab();
            pages.add(page);
            page.accessSynchronously(() -> PubSub.current().subscribe(message -> seen.add(String.valueOf(securityContext.get()))));
        }

        securityContext.set("alice's credentials");
        try {
            hub.sendAll("hello");
            app.deliver();
        } finally {
            securityContext.remove();
        }

        assertThat(seen).hasSize(pages.size()).containsOnly("null");
    }

    @Test
    void blockingHandlers_getNoMoreLanesThanTheCap() throws InterruptedException {
        PubSubHub hub = PubSubHub.builder().maxLanes(3).install(app.service);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(12);
        for (int i = 0; i < 12; i++) {
            UI page = app.browser().pushTab();
            page.accessSynchronously(() -> PubSub.current().subscribe(message -> {
                mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                done.countDown();
            }));
        }

        hub.sendAll("block");
        Thread.sleep(500); // long enough for the watchdog to add every lane it may (it checks every 10 ms)
        int atOnce = mostAtOnce.get();
        release.countDown();

        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(atOnce).isEqualTo(3);
        assertThat(hub.maxLanes()).isEqualTo(3);
    }

    @Test
    void defaultLaneCap_growsWithTheCores() {
        PubSubHub hub = PubSubHub.builder().build();
        try {
            assertThat(hub.maxLanes())
                    .isEqualTo(PubSubHubBuilder.DEFAULT_LANES_PER_CORE * Runtime.getRuntime().availableProcessors());
        } finally {
            hub.close();
        }
    }

    @Test
    void awaitIdle_returnsPromptlyAfterFaults() throws InterruptedException {
        PubSubHub hub = PubSubHub.builder().errorHandler(errors::add).install(app.service);
        UI page = app.browser().pushTab();
        page.accessSynchronously(() -> PubSub.current().subscribe(message -> {
            throw new StackOverflowError();
        }));
        hub.sendAll("x");
        assertThat(hub.awaitIdle(Duration.ofSeconds(5))).isTrue();
    }
}
