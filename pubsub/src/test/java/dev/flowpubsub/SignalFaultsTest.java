package dev.flowpubsub;

import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/** Every node holds the same state whatever fails: on the deterministic engine, step by step. */
class SignalFaultsTest {

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.stepped(2102).settings(settings -> settings.withRetainEntries(5));

    private static java.util.List<String> values(SharedListSignal<String> list) {
        return list.peekConfirmed().stream().map(entry -> entry.peekConfirmed()).toList();
    }

    @Test
    void aNodeCutOffPastTheRetention_whileANodeItNeverSawWrites_endsWithExactlyTheSnapshotsState() throws Exception {
        SharedMapSignal<String> onA = nodes.signals("a").map("board", String.class);
        nodes.deliver();
        onA.put("stays", "1");
        onA.put("goes", "2");
        nodes.deliver();
        nodes.engine.partition("a");

        SharedMapSignal<String> onNew = nodes.signals("new").map("board", String.class);
        nodes.deliver();
        onNew.remove("goes");
        for (int i = 0; i < 20; i++) {
            onNew.put("k" + i, "v" + i);
        }
        nodes.deliver();
        var compacted = nodes.replica("new").snapshotNow();
        nodes.deliver();
        assertThat(compacted).isCompleted();
        assertThat(nodes.engine.trimmed()).as("the log was trimmed past where a stopped").isGreaterThan(3);

        nodes.engine.heal("a");
        nodes.deliver();

        assertThat(nodes.replica("a").meters.resyncs.sum()).isEqualTo(1);
        assertThat(nodes.confirmed("a", "board").keySet()).isEqualTo(nodes.confirmed("new", "board").keySet());
        assertThat(nodes.confirmed("a", "board")).isEqualTo(nodes.confirmed("new", "board"));
        assertThat(onA.peek()).doesNotContainKey("goes").containsKey("k19");
    }

    @Test
    void anEngineBackEmpty_isReseededByTheSurvivors_andAWriteItMayHaveLostIsUnknown() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        onA.insertLast("one");
        onB.insertLast("two");
        nodes.deliver();
        nodes.engine.delayReader("a");
        nodes.engine.delayReader("b");
        var lost = onA.insertLast("appended, never read back").result();
        nodes.deliver();

        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.engine.releaseReader("a");
        nodes.engine.releaseReader("b");
        nodes.deliver();

        assertThat(lost.join()).isInstanceOfSatisfying(SignalOperation.Error.class,
                error -> assertThat(error.reason()).startsWith("unknown: the engine lost its data"));
        assertThat(values(onA)).containsExactly("one", "two");
        assertThat(nodes.confirmed("a", "cards")).isEqualTo(nodes.confirmed("b", "cards"));
        assertThat(nodes.engine.head()).as("the survivors wrote their state again").isPositive();

        onB.insertLast("three");
        nodes.deliver();
        assertThat(values(onA)).containsExactly("one", "two", "three");
        SharedListSignal<String> onC = nodes.signals("c").list("cards", String.class);
        nodes.deliver();
        assertThat(values(onC)).containsExactly("one", "two", "three");
    }

    @Test
    void anEngineBackEmpty_reseededFirstByANodeThatHadReadLess_andWrittenOn_endsWithTheBetterStateAndTheWrite() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        onA.insertLast("one");
        nodes.deliver();
        nodes.engine.delayReader("a");
        onB.insertLast("x");
        nodes.deliver();
        assertThat(values(onB)).containsExactly("one", "x");

        nodes.engine.lose();
        var written = onA.insertLast("w").result();
        nodes.deliver();
        nodes.engine.back(false);
        nodes.engine.releaseReader("a");
        nodes.deliver();

        assertThat(values(onB)).as("b had read the most; a's write is applied on top").containsExactly("one", "x",
                "w");
        assertThat(nodes.confirmed("a", "cards")).isEqualTo(nodes.confirmed("b", "cards"));
        assertThat(written).isCompleted();
        SharedListSignal<String> onC = nodes.signals("c").list("cards", String.class);
        nodes.deliver();
        assertThat(values(onC)).containsExactly("one", "x", "w");
    }

    @Test
    void aLateReseedOfTheNodeThatHadReadMost_winsOverEarlierOnesWrittenOn_andKeepsTheirWrites() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        SharedListSignal<String> onC = nodes.signals("c").list("cards", String.class);
        onA.insertLast("one");
        nodes.deliver();
        nodes.engine.delayReader("a");
        onC.insertLast("two");
        nodes.deliver();
        nodes.engine.delayReader("b");
        onC.insertLast("three");
        nodes.deliver();
        nodes.engine.delayReader("c"); // a had read one entry, b two, c three: c comes back last of all

        nodes.engine.lose();
        nodes.engine.back(false);
        nodes.engine.releaseReader("a");
        nodes.deliver();
        onA.insertLast("on a's state");
        nodes.deliver();
        nodes.engine.releaseReader("b");
        nodes.deliver();
        assertThat(values(onB)).containsExactly("one", "two", "on a's state");
        onB.insertLast("on b's state");
        nodes.deliver();
        nodes.engine.releaseReader("c");
        nodes.deliver();

        assertThat(values(onA)).containsExactly("one", "two", "three", "on a's state", "on b's state");
        assertThat(nodes.confirmed("a", "cards")).isEqualTo(nodes.confirmed("b", "cards"))
                .isEqualTo(nodes.confirmed("c", "cards"));
    }

    @Test
    void aNodeKilledAndRestartedWithTheSameId_loadsTheStateAndWritesAgain() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        SharedValueSignal<String> onB = nodes.signals("b").value("title", String.class);
        onA.set("from a");
        nodes.deliver();
        nodes.kill("a");
        onB.set("while a was dead");
        nodes.deliver();

        SharedValueSignal<String> again = nodes.signals("a").value("title", String.class);
        nodes.deliver();
        assertThat(again.peek()).isEqualTo("while a was dead");
        again.set("a is back");
        nodes.deliver();
        assertThat(onB.peek()).isEqualTo("a is back");
    }

    @Test
    void aDelayedReader_catchesUpInOrder() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        nodes.deliver();
        nodes.engine.delayReader("b");
        onA.insertLast("1");
        onA.insertLast("2");
        nodes.deliver();
        assertThat(values(onB)).isEmpty();

        nodes.engine.releaseReader("b");
        nodes.deliver();
        assertThat(values(onB)).containsExactly("1", "2");
    }

    @Test
    void aWriteOfANodeWhoseReaderIsDelayed_staysPendingThere_untilItComesBack() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        SharedValueSignal<String> onB = nodes.signals("b").value("title", String.class);
        nodes.deliver();
        nodes.engine.delayReader("a");
        var written = onA.set("mine").result();
        nodes.deliver();

        assertThat(onB.peek()).isEqualTo("mine");
        assertThat(onA.peek()).isEqualTo("mine");
        assertThat(onA.peekConfirmed()).isNull();
        assertThat(written).isNotDone();

        nodes.engine.releaseReader("a");
        nodes.deliver();
        assertThat(written).isCompleted();
        assertThat(onA.peekConfirmed()).isEqualTo("mine");
    }
}
