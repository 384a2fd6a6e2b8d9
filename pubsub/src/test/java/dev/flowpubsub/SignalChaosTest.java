package dev.flowpubsub;

import com.vaadin.flow.signals.operations.SignalOperation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random faults on the deterministic engine, from a printed seed: after every step, every node that can reach the
 * engine holds the same confirmed state, and no confirmed write is lost. {@code -Dflowpubsub.signalChaosSteps=N}
 * and {@code -Dflowpubsub.signalChaosSeed=S} run it longer or again (the README's long run).
 */
class SignalChaosTest {

    private static final int STEPS = Integer.getInteger("flowpubsub.signalChaosSteps", 300);
    private static final long SEED = Long.getLong("flowpubsub.signalChaosSeed", System.nanoTime());
    private static final List<String> NAMES = List.of("a", "b", "c");

    @RegisterExtension
    final SignalNodes nodes = SignalNodes.stepped(SEED).settings(settings -> settings.withRetainEntries(10));

    private final Set<String> alive = new HashSet<>(NAMES);
    private final Set<String> cut = new HashSet<>();
    private final Map<String, SignalOperation<?>> inserts = new LinkedHashMap<>();
    private final List<String> log = new ArrayList<>();
    private final Map<String, Integer> counts = new java.util.TreeMap<>();
    /** The signals the nodes' pages would hold: a tree no signal uses is let go. */
    private final Map<String, com.vaadin.flow.signals.shared.SharedListSignal<String>> held = new LinkedHashMap<>();
    private final List<java.util.concurrent.CompletableFuture<Void>> compactions = new ArrayList<>();

    @Test
    void everyNodeThatReachesTheEngine_holdsTheSameState_andNothingConfirmedIsLost() {
        Random random = nodes.engine.random();
        NAMES.forEach(name -> held.put(name, nodes.signals(name).list("cards", String.class)));
        for (int step = 0; step < STEPS; step++) {
            String node = NAMES.get(random.nextInt(NAMES.size()));
            String action = act(random, node, step);
            log.add(step + ": " + action);
            counts.merge(action.replaceAll(" s\\d+|(on )?[abc]$|^[abc] ", "").trim(), 1, Integer::sum);
            nodes.deliver();
            check(step);
        }
        long confirmed = inserts.values().stream().filter(SignalChaosTest::confirmed).count();
        System.out.println("SignalChaosTest seed " + SEED + ", " + STEPS + " steps: " + counts + "; " + confirmed
                + " confirmed inserts held by every node at the end");
    }

    private String act(Random random, String node, int step) {
        int dice = random.nextInt(100);
        if (dice < 55 && alive.contains(node)) {
            String value = "s" + step;
            try {
                inserts.put(value, nodes.signals(node).list("cards", String.class).insertLast(value));
                return node + " inserts " + value;
            } catch (PubSubSignalRefusedException refused) { // the engine is unreachable from there: at the call
                return node + " inserts " + value + ", refused at the call";
            }
        } else if (dice < 63) {
            if (cut.remove(node)) {
                nodes.engine.heal(node);
                nodes.engine.releaseReader(node);
                return "heal " + node;
            }
            cut.add(node);
            if (random.nextBoolean()) {
                nodes.engine.partition(node);
                return "partition " + node;
            }
            nodes.engine.delayReader(node);
            return "delay " + node;
        } else if (dice < 71) {
            if (!alive.contains(node)) {
                alive.add(node);
                held.put(node, nodes.signals(node).list("cards", String.class));
                return "restart " + node;
            }
            if (alive.size() > 1 && connectedAlive().size() > 1) {
                alive.remove(node);
                nodes.kill(node);
                return "kill " + node;
            }
            return "nothing";
        } else if (dice < 76) {
            boolean intact = random.nextBoolean();
            if (!intact) {
                forgetWhatOnlyCutNodesHeld();
            }
            nodes.engine.lose();
            nodes.engine.back(intact);
            return "engine lost, back " + (intact ? "intact" : "empty");
        } else if (dice < 90 && alive.contains(node) && !cut.contains(node)) {
            compactions.add(nodes.replica(node).snapshotNow());
            return "compact on " + node;
        }
        return "nothing";
    }

    /**
     * The documented limits, taken at their widest: when the engine loses its data, a node cut off from it writes its
     * state when it comes back, unless the new log was trimmed meanwhile; so a write that only nodes cut off (or none)
     * hold may be lost.
     */
    private void forgetWhatOnlyCutNodesHeld() {
        List<String> connected = connectedAlive();
        Set<String> survives = new HashSet<>(connected.isEmpty() ? List.of() : values(connected.getFirst()));
        inserts.entrySet().removeIf(insert -> confirmed(insert.getValue()) && !survives.contains(insert.getKey()));
    }

    private static boolean confirmed(SignalOperation<?> operation) {
        return operation.result().isDone() && operation.result().join().successful();
    }

    private List<String> values(String node) {
        return held.get(node).peekConfirmed().stream().map(entry -> entry.peekConfirmed()).toList();
    }

    private List<String> connectedAlive() {
        return alive.stream().filter(node -> !cut.contains(node)).sorted().toList();
    }

    private void check(int step) {
        if (step >= Integer.getInteger("flowpubsub.signalChaosTraceFrom", Integer.MAX_VALUE)) {
            for (String node : alive) {
                System.out.println(step + " " + node + (cut.contains(node) ? " (cut)" : "") + " at "
                        + nodes.replica(node).position() + ": " + held.get(node).peekConfirmed().stream()
                        .map(entry -> entry.peekConfirmed()).toList());
            }
        }
        List<String> connected = connectedAlive();
        if (connected.isEmpty()) {
            return;
        }
        String first = connected.getFirst();
        String context = "after step " + step + " of seed " + SEED + ":\n" + String.join("\n", log.subList(
                Math.max(0, log.size() - Integer.getInteger("flowpubsub.signalChaosContext", 15)), log.size()));
        for (String node : connected) {
            assertThat(nodes.confirmed(node, "cards")).as(node + " and " + first + ", " + context)
                    .isEqualTo(nodes.confirmed(first, "cards"));
        }
        assertThat(compactions).as(context).noneMatch(java.util.concurrent.CompletableFuture::isCompletedExceptionally);
        List<String> values = nodes.signals(first).list("cards", String.class).peekConfirmed().stream()
                .map(entry -> entry.peekConfirmed()).toList();
        inserts.forEach((value, operation) -> {
            if (confirmed(operation)) {
                assertThat(values).as("confirmed " + value + ", " + context).contains(value);
            }
        });
    }
}
