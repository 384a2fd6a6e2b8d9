package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pages bound to cluster signals, on real Vaadin sessions and a threaded engine: where the page work runs. */
class SignalPagesTest {

    /** How long the busy page's session stays locked: long beside a confirm; the README's long run uses 10 s. */
    static final Duration HOLD = Duration.ofSeconds(Long.getLong("flowpubsub.signalLockHoldSeconds", 2));

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.threaded();

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void closeApp() {
        app.close();
    }

    private static Span bound(UI ui, SharedValueSignal<String> title) {
        Span span = new Span();
        ui.accessSynchronously(() -> {
            ui.add(span);
            span.getElement().bindText(title);
        });
        return span;
    }

    private static String text(UI ui, Span span) {
        AtomicReference<String> text = new AtomicReference<>();
        ui.accessSynchronously(() -> text.set(span.getElement().getText()));
        return text.get();
    }

    @Test
    void aPageWhoseSessionIsLocked_delaysNoOtherPage_andNoMessage() throws Exception {
        PubSubHub hub = nodes.install("a", app, builder -> builder);
        SharedValueSignal<String> title = hub.signals().value("title", String.class);
        UI busy = app.browser().pushTab();
        UI other = app.browser().pushTab();
        Span onBusy = bound(busy, title);
        Span onOther = bound(other, title);
        List<Object> messages = new CopyOnWriteArrayList<>();
        other.accessSynchronously(() -> PubSub.of(other).subscribeTopic("news", (MessageHandler<Object>) messages::add));

        CountDownLatch locked = new CountDownLatch(1);
        Thread holder = Thread.ofPlatform().start(() -> {
            busy.getSession().lock();
            try {
                locked.countDown();
                Thread.sleep(HOLD.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                busy.getSession().unlock();
            }
        });
        assertThat(locked.await(5, TimeUnit.SECONDS)).isTrue();
        long start = System.nanoTime();
        nodes.signals("b").value("title", String.class).set("changed"); // confirmed on node a by a's replica
        hub.sendAllOnTopic("news", "hello");

        await().atMost(HOLD.dividedBy(2)).untilAsserted(() -> {
            assertThat(text(other, onOther)).isEqualTo("changed");
            assertThat(messages).containsExactly("hello");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("while the busy page was still locked")
                .isLessThan(HOLD);
        holder.join();
        await().atMost(Duration.ofSeconds(10)).until(() -> "changed".equals(text(busy, onBusy)));
    }

    @Test
    void manyPagesBoundToOneSignal_eachShowEveryWrite_asTheirEffectsRunSixteenToATask() {
        PubSubHub hub = nodes.install("a", app, builder -> builder);
        SharedValueSignal<String> title = hub.signals().value("title", String.class);
        int count = 3 * SignalEffects.CHUNK + 5; // four tasks, the last one short
        List<UI> pages = new java.util.ArrayList<>();
        List<Span> spans = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            UI page = app.browser().pushTab();
            pages.add(page);
            spans.add(bound(page, title));
        }
        SharedValueSignal<String> onB = nodes.signals("b").value("title", String.class);
        for (String written : List.of("first", "second")) {
            onB.set(written);
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                for (int i = 0; i < count; i++) {
                    assertThat(text(pages.get(i), spans.get(i))).as("page %d", i).isEqualTo(written);
                }
            });
        }
    }

    @Test
    void aPageWhoseEffectIsSlow_delaysNoOtherPageBoundToTheSignal() throws Exception {
        PubSubHub hub = nodes.install("a", app, builder -> builder);
        SharedValueSignal<String> title = hub.signals().value("title", String.class);
        UI slow = app.browser().pushTab();
        CountDownLatch slowRunning = new CountDownLatch(1);
        CountDownLatch letGo = new CountDownLatch(1);
        slow.accessSynchronously(() -> com.vaadin.flow.dom.ElementEffect.effect(slow.getElement(), () -> {
            if ("changed".equals(title.get())) { // bound first: its effect comes before the others'
                slowRunning.countDown();
                try {
                    letGo.await(HOLD.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }));
        List<UI> pages = new java.util.ArrayList<>();
        List<Span> spans = new java.util.ArrayList<>();
        for (int i = 0; i < SignalEffects.CHUNK + 3; i++) {
            UI page = app.browser().pushTab();
            pages.add(page);
            spans.add(bound(page, title));
        }

        long start = System.nanoTime();
        nodes.signals("b").value("title", String.class).set("changed");
        assertThat(slowRunning.await(5, TimeUnit.SECONDS)).isTrue();
        try {
            await().atMost(HOLD.dividedBy(2)).untilAsserted(() -> {
                for (int i = 0; i < pages.size(); i++) {
                    assertThat(text(pages.get(i), spans.get(i))).as("page %d", i).isEqualTo("changed");
                }
            });
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("while the slow page's effect still ran")
                    .isLessThan(HOLD);
        } finally {
            letGo.countDown();
        }
    }

    @Test
    void effectsRunOnTheHubsExecutor_resultsOfABackgroundWriterOnTheSignalThread_ofAPageWriterOnItsPage() {
        PubSubHub hub = nodes.install("a", app, builder -> builder);
        SharedValueSignal<String> title = hub.signals().value("title", String.class);
        UI page = app.browser().pushTab();
        List<String> effectThreads = new CopyOnWriteArrayList<>();
        page.accessSynchronously(() -> com.vaadin.flow.dom.ElementEffect.effect(page.getElement(), () -> {
            title.get();
            effectThreads.add(Thread.currentThread().getName());
        }));

        nodes.signals("b").value("title", String.class).set("from b");
        await().atMost(Duration.ofSeconds(10)).until(() -> effectThreads.size() >= 2);
        assertThat(effectThreads.getLast()).as("an effect a confirm started").doesNotStartWith("flow-pubsub-signals-");

        nodes.engine.delayReader("a"); // the callbacks are attached before the writes come back
        AtomicReference<String> backgroundResult = new AtomicReference<>();
        var background = title.set("x").result()
                .thenRun(() -> backgroundResult.set(Thread.currentThread().getName()));
        AtomicReference<UI> pageResult = new AtomicReference<>();
        AtomicReference<java.util.concurrent.CompletableFuture<Void>> fromPage = new AtomicReference<>();
        page.accessSynchronously(() -> fromPage.set(title.set("y").result()
                .thenRun(() -> pageResult.set(UI.getCurrent()))));
        nodes.engine.releaseReader("a");

        await().atMost(Duration.ofSeconds(10)).until(() -> background.isDone() && fromPage.get().isDone());
        assertThat(backgroundResult.get()).startsWith("flow-pubsub-signals-");
        assertThat(pageResult.get()).isSameAs(page);
    }

    /**
     * Found by the chat's board (see DECISIONS.md): a transaction committed
     * on a page's thread re-runs the page's own effects synchronously, inside the committing transaction, where each
     * read of a shared signal of the same tree is included as a condition; each such condition is submitted to the
     * engine as a write of its own, charged to the session's send budget. With 5 bound components this takes 6 writes;
     * with 20 the budget refuses them, and the refusal thrown from inside an effect ends in Vaadin's
     * {@code MissingSignalUsageException} at the click. Without a transaction it was one write; now it is with one
     * too, the effects' checks made on the node, and every bound component shows the insert.
     */
    @Test
    void aTransactionMadeOnAPage_isOneWrite_howeverManyComponentsAreBoundToTheSignal() {
        PubSubHub hub = nodes.install("a", app, builder -> builder);
        SharedListSignal<String> cards = hub.signals().list("cards", String.class);
        UI page = app.browser().pushTab();
        List<Span> shown = new CopyOnWriteArrayList<>();
        page.accessSynchronously(() -> {
            for (int i = 0; i < 5; i++) {
                Span count = new Span();
                shown.add(count);
                page.add(count);
                count.bindText(cards.map(all -> String.valueOf(all.size())));
            }
        });
        long before = hub.signals().stats().submitted();

        page.accessSynchronously(() -> Signal.runInTransaction(() -> {
            cards.insertLast("card");
        }));

        assertThat(hub.signals().stats().submitted() - before).as("writes submitted for one insert").isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> shown.stream().allMatch(span -> "1".equals(text(page, span))));
    }
}
