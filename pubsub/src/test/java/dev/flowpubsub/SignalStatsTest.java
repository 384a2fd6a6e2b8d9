package dev.flowpubsub;

import com.vaadin.flow.signals.shared.SharedListSignal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A node's shared-signal stats count what happened: writes taken, confirmed, applied, refused by reason, snapshots. */
class SignalStatsTest {

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.stepped(2103).settings(settings -> new SignalSettings(
            settings.maxEntryBytes(), settings.maxNodes(), 2, settings.writeTimeout(), settings.callTimeout(),
            settings.retainEntries(), settings.snapshotInterval(), settings.loadTimeout()));

    @Test
    void aHubThatMadeNoSignal_hasNoSignalStats_andAskingStartsNothing() {
        PubSubHub hub = nodes.node("a");

        assertThat(hub.signalStats()).isEmpty();
        assertThat(hub.signalStats()).as("still none: asking made no signal").isEmpty();
    }

    @Test
    void writesConfirmedAppliedAndRefused_areCountedByReason() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        SharedListSignal<String> onB = nodes.signals("b").list("cards", String.class);
        nodes.deliver();
        onA.insertLast("one");
        onA.insertLast("two");
        assertThatThrownBy(() -> onA.insertLast("a third waiting")).isInstanceOf(PubSubSignalRefusedException.class);
        assertThatThrownBy(() -> onA.insertLast("x".repeat(70_000))).isInstanceOf(PubSubSignalRefusedException.class);
        onB.insertLast("from b");
        nodes.deliver();

        SignalStats a = nodes.node("a").signalStats().orElseThrow();
        assertThat(a.submitted()).isEqualTo(2);
        assertThat(a.confirmed()).isEqualTo(2);
        assertThat(a.confirmNanos()).isPositive();
        assertThat(a.applied()).as("every node's writes").isEqualTo(3);
        assertThat(a.refused()).containsEntry("outbox", 1L).containsEntry("size", 1L).containsEntry("timeout", 0L)
                .containsEntry("unknown", 0L);
        assertThat(a.namesInUse()).isEqualTo(1);
        assertThat(a.position()).isEqualTo(3).isEqualTo(a.head());
        assertThat(a.snapshotAgeMillis()).as("no snapshot stored yet").isEqualTo(-1);
        assertThat(nodes.node("b").signalStats().orElseThrow().refused().values()).allMatch(count -> count == 0);
    }

    @Test
    void aSnapshotStored_givesItsAge() {
        SharedListSignal<String> onA = nodes.signals("a").list("cards", String.class);
        nodes.deliver();
        onA.insertLast("one");
        nodes.deliver();
        CompletableFuture<Void> stored = nodes.signals("a").snapshotNow();
        nodes.deliver();

        assertThat(stored).isCompleted();
        assertThat(nodes.signals("a").stats().snapshotAgeMillis()).isBetween(0L, 60_000L);
    }
}
