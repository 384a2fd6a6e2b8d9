package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A write that will never be applied completes its operation with the reason and leaves the writer's view, whatever
 * the reason; no node applies it. One this node cannot know the fate of ends as unknown, never as refused.
 */
class SignalRefusalsTest {

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.stepped(2101);

    private final VaadinApp app = new VaadinApp();

    @AfterEach
    void closeApp() {
        app.close();
    }

    private static String reason(CompletableFuture<? extends SignalOperation.ResultOrError<?>> result) {
        // a page writer's result is completed through its UI (Vaadin's result notifier), not at once
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(result::isDone);
        SignalOperation.ResultOrError<?> outcome = result.join();
        assertThat(outcome).isInstanceOf(SignalOperation.Error.class);
        return ((SignalOperation.Error<?>) outcome).reason();
    }

    @Test
    void aWriteThatWouldGrowATreePastItsNodeLimit_isRefusedAtTheCall_andTheTreeKeepsWhatItHeld() {
        nodes.settings(settings -> new SignalSettings(settings.maxEntryBytes(), 5, settings.maxPending(),
                settings.writeTimeout(), settings.callTimeout(), settings.retainEntries(), settings.snapshotInterval(),
                settings.loadTimeout()));
        var onA = nodes.signals("a").list("cards", String.class);
        var onB = nodes.signals("b").list("cards", String.class);
        nodes.deliver();
        for (int i = 1; i <= 3; i++) { // a tree holds two nodes of its own, and one per entry
            onA.insertLast("card " + i);
        }

        assertThatThrownBy(() -> onA.insertLast("one too many")).isInstanceOf(PubSubSignalRefusedException.class)
                .hasMessageStartingWith("refused: size: signal 'cards' would hold more than 5 nodes");
        nodes.deliver();
        assertThat(onB.peek()).hasSize(3);
        assertThat(onA.peek()).hasSize(3);
        onA.remove(onA.peek().getFirst());
        onA.insertLast("in its place");
        nodes.deliver();
        assertThat(onB.peek()).hasSize(3);
        assertThat(nodes.confirmed("b", "cards")).hasSize(5);
    }

    @Test
    void aWriteAppendedWhenItsHubCloses_endsUnknown_notRefused_andIsAppliedOnEveryNode() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        SharedValueSignal<String> onB = nodes.signals("b").value("title", String.class);
        nodes.deliver();
        nodes.engine.delayReader("a");
        var appended = onA.set("appended").result();
        nodes.deliver();
        var neverSent = onA.set("never sent").result();

        nodes.kill("a");
        nodes.deliver();

        assertThat(reason(appended)).startsWith("unknown: the hub closed");
        assertThat(reason(neverSent)).startsWith("refused: the hub closed");
        assertThat(onB.peek()).isEqualTo("appended");
    }

    @Test
    void aWriteOverTheOutbox_isRefused_andTheOthersGo() {
        nodes.settings(settings -> new SignalSettings(settings.maxEntryBytes(), settings.maxNodes(), 3,
                settings.writeTimeout(), settings.callTimeout(), settings.retainEntries(), settings.snapshotInterval(),
                settings.loadTimeout()));
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        SharedValueSignal<String> onB = nodes.signals("b").value("title", String.class);
        nodes.deliver();

        onA.set("1");
        onA.set("2");
        onA.set("3");
        assertThatThrownBy(() -> onA.set("4")).isInstanceOf(PubSubSignalRefusedException.class)
                .hasMessageStartingWith("refused: too many signal writes wait");
        assertThat(onA.peek()).as("the refused write left the writer's view at once").isEqualTo("3");
        nodes.deliver();

        assertThat(onB.peek()).isEqualTo("3");
        assertThat(onA.peek()).isEqualTo("3");
    }

    @Test
    void whileTheEngineIsUnreachable_writesAreRefused_andNothingDiverges() {
        nodes.settings(settings -> settings.withWriteTimeout(Duration.ZERO));
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        SharedValueSignal<String> onB = nodes.signals("b").value("title", String.class);
        onA.set("before");
        nodes.deliver();
        nodes.engine.partition("a");

        var taken = onA.set("taken, then timed out").result();
        nodes.deliver();
        assertThatThrownBy(() -> onA.set("refused at once")).isInstanceOf(PubSubSignalRefusedException.class)
                .hasMessageStartingWith("refused: the engine is unreachable");

        // it went out in an append that failed: for all this node knows, the engine took it
        assertThat(reason(taken)).startsWith("unknown: an append of the write went unanswered");
        assertThat(onA.peek()).isEqualTo("before");
        assertThatThrownBy(() -> onA.update(value -> value + "!")).isInstanceOf(PubSubSignalRefusedException.class);
        assertThat(onA.peek()).isEqualTo("before");

        nodes.engine.heal("a");
        nodes.deliver();
        onA.set("after");
        nodes.deliver();
        assertThat(onB.peek()).isEqualTo("after");
        assertThat(nodes.confirmed("a", "title")).isEqualTo(nodes.confirmed("b", "title"));
    }

    /**
     * Found by the chaos test on Redis (RedisSignalChaosTest, seed 25649838359170, step 82: Redis frozen 2.45 s, past
     * the write timeout of 2 s): appends timed out while Redis was frozen and landed when it resumed, and their writes,
     * past their deadline, ended as "refused: the engine did not take the write" while every node applied them.
     */
    @Test
    void aWriteWhoseAppendLandedUnanswered_pastItsDeadline_endsUnknown_notRefused_andIsAppliedOnEveryNode() {
        nodes.settings(settings -> settings.withWriteTimeout(Duration.ZERO));
        var onA = nodes.signals("a").list("cards", String.class);
        var onB = nodes.signals("b").list("cards", String.class);
        nodes.deliver();
        nodes.engine.loseAppendAnswers("a");

        var landed = onA.insertLast("landed").result();
        nodes.deliver();
        nodes.engine.answerAppends("a");
        nodes.deliver();

        assertThat(reason(landed)).startsWith("unknown: an append of the write went unanswered");
        assertThat(onB.peekConfirmed()).extracting(value -> value.peekConfirmed()).containsExactly("landed");
        assertThat(nodes.confirmed("a", "cards")).isEqualTo(nodes.confirmed("b", "cards"));

        var after = onA.insertLast("after").result();
        nodes.deliver();
        assertThat(after.join().successful()).isTrue();
        assertThat(onA.peekConfirmed()).extracting(value -> value.peekConfirmed()).containsExactly("landed", "after");
    }

    @Test
    void aPagesWriteToASignalItMayNotWrite_isRefusedForAuthorization() {
        PubSubHub hub = nodes.install("a", app, builder -> builder.authorizer(
                (ui, action, topic) -> action != TopicAuthorizer.Action.WRITE_SIGNAL || !"locked".equals(topic)));
        UI page = app.browser().tab();
        page.accessSynchronously(() -> {
            var locked = hub.signals().value("locked", String.class);
            assertThatThrownBy(() -> locked.set("x")).isInstanceOf(PubSubSignalRefusedException.class)
                    .hasMessageStartingWith("refused: authorization");
            assertThatThrownBy(() -> locked.update(value -> "y")).isInstanceOf(PubSubSignalRefusedException.class);
        });
        nodes.deliver();
        assertThat(hub.signals().value("locked", String.class).peek()).isNull();
    }

    @Test
    void aPageMakingASignalItMayNotRead_isDeniedAtTheCall() {
        PubSubHub hub = nodes.install("a", app, builder -> builder.authorizer(
                (ui, action, topic) -> action != TopicAuthorizer.Action.READ_SIGNAL || !"secret".equals(topic)));
        UI page = app.browser().tab();

        page.accessSynchronously(() -> assertThatThrownBy(() -> hub.signals().value("secret", String.class))
                .isInstanceOf(PubSubAccessDeniedException.class).hasMessageContaining("secret"));
    }

    @Test
    void aPageOverItsSessionsSendBudget_hasItsWritesRefused() {
        PubSubHub hub = nodes.install("a", app, builder -> builder.sendBudget(0.001, 2));
        UI page = app.browser().tab();
        page.accessSynchronously(() -> {
            var votes = hub.signals().number("votes");
            votes.incrementBy(1);
            votes.incrementBy(1);
            assertThatThrownBy(() -> votes.incrementBy(1)).isInstanceOf(PubSubSignalRefusedException.class)
                    .hasMessageStartingWith("refused: send budget");
        });
        nodes.deliver();

        assertThat(hub.signals().number("votes").peek()).isEqualTo(2.0);
    }

    @Test
    void serverCode_isNotBudgeted() {
        PubSubHub hub = nodes.install("a", app, builder -> builder.sendBudget(0.001, 2));
        var votes = hub.signals().number("votes");
        for (int i = 0; i < 10; i++) {
            votes.incrementBy(1);
        }
        nodes.deliver();
        assertThat(votes.peekConfirmed()).isEqualTo(10.0);
    }
}
