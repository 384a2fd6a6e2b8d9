package dev.flowpubsub;

import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterSignalsTest {

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.stepped(21);

    @Test
    void aValueWrittenOnOneNode_isSeenOnTheOther() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        SharedValueSignal<String> onB = nodes.signals("b").value("title", String.class);
        nodes.deliver();

        SignalOperation<String> written = onA.set("hello");
        assertThat(onA.peek()).as("the writer's node shows its write at once").isEqualTo("hello");
        assertThat(onB.peek()).isNull();
        nodes.deliver();

        assertThat(onB.peek()).isEqualTo("hello");
        assertThat(onA.peekConfirmed()).isEqualTo("hello");
        assertThat(written.result()).isCompletedWithValueMatching(SignalOperation.ResultOrError::successful);
    }

    @Test
    void twoWritesFromOneThread_areConfirmedInTheOrderWritten_onEveryNode() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        nodes.deliver();

        onA.insertLast("first");
        onB.insertLast("x");
        onA.insertLast("second");
        nodes.deliver();

        List<String> a = onA.peek().stream().map(signal -> signal.peek()).toList();
        List<String> b = onB.peek().stream().map(signal -> signal.peek()).toList();
        assertThat(a).isEqualTo(b).containsSubsequence("first", "second").hasSize(3);
        assertThat(nodes.confirmed("a", "cards")).isEqualTo(nodes.confirmed("b", "cards"));
    }

    @Test
    void aNodeThatMakesANameLater_loadsItsState() {
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        nodes.deliver();
        onA.set("one");
        onA.set("two");
        nodes.deliver();

        SharedValueSignal<String> onC = nodes.signals("c").value("title", String.class);
        nodes.deliver();

        assertThat(onC.peek()).isEqualTo("two");
        assertThat(nodes.confirmed("c", "title")).isEqualTo(nodes.confirmed("a", "title"));
    }

    @Test
    void aWriteOverTheSizeLimit_isRefusedWithTheReason_andLeavesTheWritersView() {
        nodes.settings(settings -> new SignalSettings(100, settings.maxNodes(), settings.maxPending(),
                settings.writeTimeout(), settings.callTimeout(), settings.retainEntries(), settings.snapshotInterval(),
                settings.loadTimeout()));
        SharedValueSignal<String> onA = nodes.signals("a").value("title", String.class);
        nodes.deliver();

        assertThatThrownBy(() -> onA.set("x".repeat(500))).isInstanceOf(PubSubSignalRefusedException.class)
                .hasMessageStartingWith("refused: size");
        nodes.deliver();

        assertThat(onA.peek()).isNull();
    }
}
