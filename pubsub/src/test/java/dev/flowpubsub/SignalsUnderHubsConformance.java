package dev.flowpubsub;

import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.Node;
import com.vaadin.flow.signals.Signal;
import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedMapSignal;
import com.vaadin.flow.signals.shared.SharedNodeSignal;
import com.vaadin.flow.signals.shared.SharedNumberSignal;
import com.vaadin.flow.signals.shared.SharedValueSignal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static dev.flowpubsub.SignalLogConformanceSuite.done;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every {@link dev.flowpubsub.spi.SignalLog} must give shared signals under hubs: concurrent writers on three
 * nodes, conditional operations, a node restarted or coming late. A {@link SignalLogConformanceSuite} that implements
 * it runs these too; they reach the engine only through the log's calls, which that suite covers one by one.
 */
public interface SignalsUnderHubsConformance {

    /** A hub for node {@code node} on the engine of this test (see {@link SignalLogConformanceSuite#hub(String)}). */
    PubSubHub hub(String node);

    @Test
    default void concurrentWritersOnThreeNodes_leaveEveryNodeWithTheSameState() throws Exception {
        List<PubSubHub> hubs = List.of(hub("a"), hub("b"), hub("c"));
        List<Thread> writers = new ArrayList<>();
        for (PubSubHub hub : hubs) {
            SharedListSignal<String> list = hub.signals().list("cards", String.class);
            SharedNumberSignal votes = hub.signals().number("votes");
            SharedValueSignal<String> title = hub.signals().value("title", String.class);
            String node = hub.nodeId().orElseThrow();
            writers.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 30; i++) {
                    list.insertLast(node + i);
                    votes.incrementBy(1);
                    title.set(node + i);
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String name : List.of("cards", "votes", "title")) {
                Map<Id, Node> first = confirmed(hubs.getFirst(), name);
                for (PubSubHub hub : hubs) {
                    assertThat(confirmed(hub, name)).as(name + " on " + hub.nodeId()).isEqualTo(first);
                }
            }
            assertThat(hubs.getFirst().signals().number("votes").peekConfirmed()).isEqualTo(90.0);
            assertThat(hubs.getFirst().signals().list("cards", String.class).peekConfirmed()).hasSize(90);
        });
        List<String> cards = hubs.getFirst().signals().list("cards", String.class).peekConfirmed().stream()
                .map(card -> card.peekConfirmed()).toList();
        for (PubSubHub hub : hubs) {
            String node = hub.nodeId().orElseThrow();
            assertThat(cards.stream().filter(card -> card.startsWith(node)).toList()).as("the writes of " + node)
                    .isEqualTo(IntStream.range(0, 30).mapToObj(i -> node + i).toList());
        }
    }

    @Test
    default void everySignalTypeAndItsConditionalOperations_resolveTheSameOnEveryNode_underConcurrentWriters()
            throws Exception {
        List<PubSubHub> hubs = List.of(hub("a"), hub("b"), hub("c"));
        List<Object> held = new ArrayList<>();
        List<SignalOperation<?>> replaces = new java.util.concurrent.CopyOnWriteArrayList<>();
        hubs.getFirst().signals().value("state", String.class).set("open");
        await().atMost(Duration.ofSeconds(20)).until(() -> hubs.stream()
                .allMatch(hub -> "open".equals(hub.signals().value("state", String.class).peekConfirmed())));
        List<Thread> writers = new ArrayList<>();
        for (PubSubHub hub : hubs) {
            String node = hub.nodeId().orElseThrow();
            SharedValueSignal<String> state = hub.signals().value("state", String.class);
            SharedMapSignal<String> seats = hub.signals().map("seats", String.class);
            SharedNodeSignal tree = hub.signals().node("tree");
            SharedListSignal<String> list = hub.signals().list("list", String.class);
            held.addAll(List.of(state, seats, tree, list));
            writers.add(Thread.ofPlatform().start(() -> {
                replaces.add(state.replace("open", "taken by " + node));
                for (int i = 0; i < 10; i++) {
                    String n = String.valueOf(i);
                    seats.putIfAbsent("seat" + i, node);
                    tree.putChildWithValue(node + i, i);
                    list.insertFirst(node + i);
                    Signal.runInTransaction(() -> { // one name: a transaction across names fails, as on Vaadin's
                        seats.put("last", node);
                        seats.put("count-" + node, n);
                    });
                }
            }));
        }
        for (Thread writer : writers) {
            writer.join();
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            for (String name : List.of("state", "seats", "tree", "list")) {
                for (PubSubHub hub : hubs) {
                    assertThat(confirmed(hub, name)).as(name + " on " + hub.nodeId())
                            .isEqualTo(confirmed(hubs.getFirst(), name));
                }
            }
            assertThat(replaces).hasSize(3).allMatch(operation -> operation.result().isDone());
        });
        assertThat(replaces.stream().filter(operation -> operation.result().join().successful()).count())
                .as("one replace of the same value wins").isEqualTo(1);
        assertThat(hubs.getFirst().signals().map("seats", String.class).peekConfirmed()).hasSize(14);
        assertThat(hubs.getFirst().signals().map("seats", String.class).peekConfirmed().get("count-b").peekConfirmed())
                .isEqualTo("9");
        assertThat(hubs.getFirst().signals().list("list", String.class).peekConfirmed()).hasSize(30);
        assertThat(hubs.getFirst().signals().node("tree").peekConfirmed().mapChildren()).hasSize(30);
        assertThat(held).hasSize(12); // held to here: a tree no signal uses is let go
    }

    @Test
    default void aNodeRestartedWithTheSameId_getsTheStateBack() {
        PubSubHub a = hub("a");
        a.signals().value("title", String.class).set("kept");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "kept".equals(a.signals().value("title", String.class).peekConfirmed()));
        a.close();

        PubSubHub again = hub("a");
        await().atMost(Duration.ofSeconds(20))
                .until(() -> "kept".equals(again.signals().value("title", String.class).peekConfirmed()));
    }

    @Test
    default void aNodeThatComesLate_pastTheRetention_loadsTheStateFromSnapshots() {
        PubSubHub a = hub("a");
        SharedListSignal<String> cards = a.signals().list("cards", String.class);
        for (int i = 0; i < 100; i++) {
            cards.insertLast("c" + i);
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> cards.peekConfirmed().size() == 100);
        done(a.signals().replica().snapshotNow());

        PubSubHub late = hub("late");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(confirmed(late, "cards"))
                .isEqualTo(confirmed(a, "cards")));
    }

    private static Map<Id, Node> confirmed(PubSubHub hub, String name) {
        return hub.signals().replica().tree(name).confirmed().nodes();
    }
}
