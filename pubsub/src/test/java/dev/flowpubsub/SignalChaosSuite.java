package dev.flowpubsub;

import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.operations.SignalOperation;
import com.vaadin.flow.signals.shared.SharedListSignal;
import com.vaadin.flow.signals.shared.SharedNumberSignal;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.TcpProxy;
import org.awaitility.core.ConditionTimeoutException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shared signals on a real engine under faults chosen by a seeded random, shared by every engine as
 * {@link ClusterChaosSuite} is: three nodes, each reaching the engine through a {@link TcpProxy} of its own, insert
 * unique values into two list signals and increment two number signals, several nodes at once, while a node is killed
 * and restarted with the same id, the engine is killed and restarted with its data, frozen (SIGSTOP) and resumed, or
 * restarted empty, and one node is cut off for longer than the log's retention (20 entries) while the others write,
 * then healed. Every step writes; after every step, every node that reaches the engine has read the log as far as
 * the others and holds the same confirmed state of every name, every write of those nodes has ended, and nothing
 * confirmed is lost:
 * <ul>
 *   <li>every insert whose operation succeeded is in the list, once, and no insert that was refused (at the call or
 *       later) is;</li>
 *   <li>each number is at least what the increments that succeeded make, and at most what those that were not
 *       refused could make (so none is applied twice).</li>
 * </ul>
 * The documented limit, as {@link SignalChaosTest} has it: when the engine loses its data, the nodes write their
 * state to the new log, and a node cut off from it comes back only after the new log was trimmed (here it always
 * is), so a write that only nodes cut off from it (or none) held is lost. Here that state is read from the nodes
 * while the engine is down, before it comes back empty.
 *
 * <p>Extend it and say how to run the engine and make a transport for one node. The steps come from seed
 * {@code flowpubsub.test.signalChaosSeed} (random if not given), printed with the run: one round of every fault
 * ({@link #defaultSteps()} steps) unless {@code flowpubsub.test.signalChaosSteps} or
 * {@code flowpubsub.test.signalChaosSeconds} says otherwise. A failure names the seed, the steps to replay it and the
 * last steps taken.
 */
public abstract class SignalChaosSuite {

    private static final long SEED = Long.getLong("flowpubsub.test.signalChaosSeed", System.nanoTime());
    private static final List<String> IDS = List.of("node-a", "node-b", "node-c");
    private static final List<String> LISTS = List.of("cards", "tags");
    private static final List<String> NUMBERS = List.of("votes", "views");
    private static final int RETAIN = 20;
    /** Short, so that writes waiting for an engine that is down end within a step. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(2);
    /** How long the nodes have to agree after a step: generous, for a slow and loaded machine. */
    private static final Duration SETTLE = Duration.ofSeconds(90);

    /** What a step does besides writing; one round deals each of them once, in the seed's order. */
    private enum Fault {
        WRITES, KILL_NODE, KILL_ENGINE, FREEZE_ENGINE, EMPTY_ENGINE, CUT_OR_HEAL
    }

    private static final List<Fault> ROUND = List.of(Fault.WRITES, Fault.WRITES, Fault.KILL_NODE, Fault.KILL_ENGINE,
            Fault.FREEZE_ENGINE, Fault.EMPTY_ENGINE, Fault.CUT_OR_HEAL);

    private final Random random = new Random(SEED);
    private final Map<String, Server> servers = new TreeMap<>();
    /** Each node id's network to the engine, kept across the node's restarts. */
    private final Map<String, TcpProxy> networks = new LinkedHashMap<>();
    private final List<Write> writes = new CopyOnWriteArrayList<>();
    /** The values of inserts refused at the call (the engine unreachable from there): no node may hold them. */
    private final Set<String> refusedAtTheCall = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** How many increments were refused at the call: not applied anywhere, so the numbers' bounds leave them out. */
    private final AtomicInteger incrementsRefusedAtTheCall = new AtomicInteger();
    /** Taken to make a write (shared) and to read the nodes' state when the engine lost its data (exclusive). */
    private final ReentrantReadWriteLock ledger = new ReentrantReadWriteLock();
    private final AtomicLong values = new AtomicLong();
    private final List<Fault> deck = new ArrayList<>();
    private final List<String> log = new ArrayList<>();
    private final Map<String, Integer> tally = new TreeMap<>();
    /** What each number held, at most, on the nodes that reached the engine when it last lost its data. */
    private final Map<String, Double> base = new TreeMap<>();
    /** How many times the engine lost its data; a write made since the last time counts toward the numbers. */
    private final AtomicInteger losses = new AtomicInteger();
    private String cut = "";
    /** How many steps have started: what a replay runs. */
    private int started;

    /** Starts this test's engine; called before the first node. */
    protected abstract void startEngine();

    /** The loopback port the engine listens on. */
    protected abstract int enginePort();

    /**
     * A transport for one node, reaching the engine at {@code 127.0.0.1:port} (that node's proxy), with timeouts
     * short enough that a frozen engine is found out within a step.
     */
    protected abstract Transport newTransport(int port);

    /** Kills the engine at once, as a crash does. */
    protected abstract void killEngine();

    /** Starts the engine again after {@link #killEngine()}, on the same port with what it acknowledged. */
    protected abstract void restartEngine();

    /** Starts the engine again after {@link #killEngine()}, on the same port with nothing: it lost its data. */
    protected abstract void restartEngineEmpty();

    /** Freezes the engine (SIGSTOP): connections stay open, nothing is answered. */
    protected abstract void freezeEngine();

    /** Lets a frozen engine go on (SIGCONT). */
    protected abstract void resumeEngine();

    /** Stops the engine for good after the test, resumed first if frozen. */
    protected abstract void closeEngine();

    /** How many steps run unless {@code flowpubsub.test.signalChaosSteps} or {@code ...Seconds} says: one round. */
    protected int defaultSteps() {
        return ROUND.size();
    }

    private String name() {
        return getClass().getSimpleName();
    }

    @BeforeEach
    void startChaos() {
        System.out.println(name() + ": seed " + SEED + " (-Dflowpubsub.test.signalChaosSeed=" + SEED + ")");
        startEngine();
    }

    @AfterEach
    void stopChaos() {
        try {
            networks.values().forEach(TcpProxy::restore); // a node cut off would wait for it to close
            for (Server server : servers.values()) {
                server.hub.close();
            }
        } finally {
            networks.values().forEach(TcpProxy::close);
            closeEngine();
        }
    }

    /** One node: its hub, in its incarnation (restarts with the same id count up), and the signals its pages hold. */
    private final class Server {
        final String id;
        final int incarnation;
        final PubSubHub hub;
        /** Strong references, as pages hold them: a tree no signal uses is let go. */
        final Map<String, SharedListSignal<String>> lists = new LinkedHashMap<>();
        final Map<String, SharedNumberSignal> numbers = new LinkedHashMap<>();

        Server(String id, int incarnation) {
            this.id = id;
            this.incarnation = incarnation;
            TcpProxy network = networks.computeIfAbsent(id, each -> new TcpProxy(enginePort()));
            PubSubHubBuilder builder = PubSubHub.builder().transport(newTransport(network.port())).nodeId(id);
            builder.signalSettings = SignalSettings.DEFAULTS.withRetainEntries(RETAIN).withWriteTimeout(WRITE_TIMEOUT);
            hub = builder.build();
            LISTS.forEach(name -> lists.put(name, hub.signals().list(name, String.class)));
            NUMBERS.forEach(name -> numbers.put(name, hub.signals().number(name)));
        }

        Map<Id, com.vaadin.flow.signals.Node> confirmed(String name) {
            return hub.signals().replica().tree(name).confirmed().nodes();
        }

        List<String> values(String list) {
            return lists.get(list).peekConfirmed().stream().map(value -> value.peekConfirmed()).toList();
        }

        double number(String name) {
            return numbers.get(name).peekConfirmed();
        }

        @Override
        public String toString() {
            return id + "#" + incarnation;
        }
    }

    /** One write: where and what (an insert of {@code value}, or an increment when it is null), and its outcome. */
    private static final class Write {
        final Server server;
        final String name;
        final String value;
        final SignalOperation<?> operation;
        /** How many times the engine had lost its data when it was made. */
        final int era;
        /** Lost as documented: only nodes cut off from the engine held it when the engine lost its data. */
        volatile boolean forgotten;
        /** Whether it had ended when the engine last lost its data. */
        volatile boolean endedAtLastLoss;
        /** The nodes that held it (an insert) when the engine last lost its data, to explain a failure. */
        volatile @Nullable List<String> heldAtLastLoss;

        Write(Server server, String name, String value, SignalOperation<?> operation, int era) {
            this.server = server;
            this.name = name;
            this.value = value;
            this.operation = operation;
            this.era = era;
        }

        boolean insert() {
            return !value.isEmpty();
        }

        boolean ended() {
            return operation.result().isDone();
        }

        boolean succeeded() {
            CompletableFuture<? extends SignalOperation.ResultOrError<?>> result = operation.result();
            return result.isDone() && !result.isCompletedExceptionally() && result.join().successful();
        }

        /** Ended with a refusal: it never reached the log, so no node may apply it. */
        boolean refused() {
            CompletableFuture<? extends SignalOperation.ResultOrError<?>> result = operation.result();
            return result.isDone() && !result.isCompletedExceptionally()
                    && result.join() instanceof SignalOperation.Error<?> error && error.reason().startsWith("refused:");
        }

        String outcome() {
            CompletableFuture<? extends SignalOperation.ResultOrError<?>> result = operation.result();
            if (!result.isDone()) {
                return "waiting";
            }
            return result.isCompletedExceptionally() ? "failed" : result.join().toString();
        }

        @Override
        public String toString() {
            return (insert() ? "insert " + value + " into " : "increment of ") + name + " on " + server + ": "
                    + outcome() + (heldAtLastLoss == null ? "" : "; held by " + heldAtLastLoss
                    + " when the engine last lost its data");
        }
    }

    @Test
    void underNodeEngineAndNetworkFaults_everyNodeThatReachesTheEngine_holdsTheSameSignals_andNothingConfirmedIsLost() {
        for (String id : IDS) {
            servers.put(id, new Server(id, 1));
        }
        Long seconds = Long.getLong("flowpubsub.test.signalChaosSeconds");
        int steps = Integer.getInteger("flowpubsub.test.signalChaosSteps", defaultSteps());
        long start = System.nanoTime();
        long end = seconds == null ? Long.MAX_VALUE : start + TimeUnit.SECONDS.toNanos(seconds);
        for (int step = 0; seconds == null ? step < steps : System.nanoTime() - end < 0; step++) {
            step(step);
        }
        if (!cut.isEmpty()) {
            int step = log.size();
            String what = heal(new ArrayList<>());
            done(step, "heal", what);
            settle();
        }
        System.out.println(name() + ": seed " + SEED + ", " + log.size() + " steps in "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms " + tally + "; " + summary() + ":\n"
                + String.join("\n", log));
        servers.values().forEach(server -> System.out.println(name() + ": " + server + " resets "
                + server.hub.signals().replica().meters.resets.sum() + ", resyncs "
                + server.hub.signals().replica().meters.resyncs.sum()));
    }

    /** One step from the seeded random: a fault (or none) while some nodes write, then the check. */
    private void step(int step) {
        started = step + 1;
        if (deck.isEmpty()) {
            deck.addAll(ROUND);
            Collections.shuffle(deck, random);
        }
        Fault fault = deck.removeFirst();
        List<Burst> bursts = new ArrayList<>();
        String what;
        try {
            what = switch (fault) {
                case WRITES -> write(bursts, pick(alive(), 1 + random.nextInt(3))).strip();
                case KILL_NODE -> killNode(bursts);
                case KILL_ENGINE -> killEngine(bursts);
                case FREEZE_ENGINE -> freezeEngine(bursts);
                case EMPTY_ENGINE -> emptyEngine(bursts);
                case CUT_OR_HEAL -> cut.isEmpty() ? cutOff(bursts) : heal(bursts);
            };
        } finally {
            bursts.forEach(Burst::join);
        }
        String kind = fault != Fault.CUT_OR_HEAL ? fault.name().toLowerCase(java.util.Locale.ROOT)
                : cut.isEmpty() ? "heal" : "cut";
        done(step, kind, what);
        settle();
    }

    private void done(int step, String kind, String what) {
        log.add(step + ": " + what);
        tally.merge(kind, 1, Integer::sum);
    }

    /* --- Faults --- */

    private String killNode(List<Burst> bursts) {
        Server victim = pick(connected(), 1).getFirst();
        String writing = write(bursts, alive());
        sleep(random.nextInt(200));
        victim.hub.close();
        servers.remove(victim.id);
        int down = random.nextInt(800);
        sleep(down);
        servers.put(victim.id, new Server(victim.id, victim.incarnation + 1));
        return "kill " + victim + " while" + writing + ", restart it after " + down + " ms";
    }

    private String killEngine(List<Burst> bursts) {
        String writing = write(bursts, alive());
        sleep(random.nextInt(300));
        int down = 200 + random.nextInt(1_500);
        killEngine();
        try {
            sleep(down);
        } finally {
            restartEngine();
        }
        return "kill the engine while" + writing + ", restart it intact after " + down + " ms";
    }

    private String freezeEngine(List<Burst> bursts) {
        String writing = write(bursts, alive());
        sleep(random.nextInt(300));
        int frozen = 200 + random.nextInt(3_000);
        freezeEngine();
        try {
            sleep(frozen);
        } finally {
            resumeEngine();
        }
        return "freeze the engine while" + writing + ", resume it after " + frozen + " ms";
    }

    private String emptyEngine(List<Burst> bursts) {
        String writing = write(bursts, alive());
        sleep(random.nextInt(300));
        int down = 200 + random.nextInt(800);
        killEngine();
        String positions;
        try {
            sleep(down);
            positions = forgetWhatOnlyCutNodesHeld();
        } finally {
            restartEngineEmpty();
            losses.incrementAndGet();
        }
        return "kill the engine while" + writing + ", restart it EMPTY after " + down + " ms"
                + (cut.isEmpty() ? "" : " (" + cut + " cut off)") + "; the nodes had read the log up to " + positions;
    }

    private String cutOff(List<Burst> bursts) {
        Server victim = pick(connected(), 1).getFirst();
        networks.get(victim.id).cut();
        cut = victim.id;
        return "cut " + victim + " off the engine while" + write(bursts, alive());
    }

    /**
     * The nodes that reach the engine write more than twice the retention and one of them compacts the log, so the
     * node cut off is behind its trim watermark when it comes back.
     */
    private String heal(List<Burst> bursts) {
        List<Server> writers = connected();
        Burst many = new Burst(writers, 2 * RETAIN / writers.size() + 5 + random.nextInt(10));
        many.join();
        Server compacting = pick(writers, 1).getFirst();
        try {
            await().atMost(SETTLE).until(() -> writes.stream().filter(write -> writers.contains(write.server))
                    .allMatch(Write::ended));
            // a compaction that meets an epoch the node has not read yet trims nothing: again, once it has
            await().atMost(SETTLE).ignoreExceptions().until(() -> {
                compacting.hub.signals().replica().snapshotNow().get(SETTLE.toSeconds(), TimeUnit.SECONDS);
                return true;
            });
        } catch (Exception e) {
            throw new AssertionError("writing past the retention or compacting on " + compacting + " failed, "
                    + context(), e);
        }
        Server healed = servers.get(cut);
        networks.get(cut).restore();
        cut = "";
        return "heal " + healed + " after " + writers + " wrote " + many.count + " and " + compacting
                + " compacted, while" + write(bursts, alive());
    }

    /**
     * The documented limit, read while the engine is down, before it comes back empty: what the nodes that reach it
     * hold (the one that read furthest wins the re-seed, and holds all that any of them holds) survives; a confirmed
     * insert none of them holds is lost, and the numbers start again from what the furthest holds.
     *
     * @return how far each node had read the log, for the step's line
     */
    private String forgetWhatOnlyCutNodesHeld() {
        Map<String, Object> before = held();
        for (int i = 0; i < 15; i++) { // until the nodes' last reads before the kill are applied
            sleep(200);
            Map<String, Object> now = held();
            if (now.equals(before)) {
                break;
            }
            before = now;
        }
        ledger.writeLock().lock();
        try {
            Map<String, Object> survives = held();
            Map<String, Map<Server, Set<String>>> byNode = new TreeMap<>();
            for (String list : LISTS) {
                Map<Server, Set<String>> lists = new LinkedHashMap<>();
                servers.values().forEach(server -> lists.put(server, new HashSet<>(server.values(list))));
                byNode.put(list, lists);
            }
            for (Write write : writes) {
                write.endedAtLastLoss = write.ended();
                if (write.insert()) {
                    write.heldAtLastLoss = byNode.get(write.name).entrySet().stream()
                            .filter(held -> held.getValue().contains(write.value)).map(held -> held.getKey().toString())
                            .toList();
                }
                if (write.insert() && write.succeeded()
                        && !((Set<?>) survives.get(write.name)).contains(write.value)) {
                    write.forgotten = true;
                }
            }
            NUMBERS.forEach(name -> base.put(name, (Double) survives.get(name)));
        } finally {
            ledger.writeLock().unlock();
        }
        return servers.values().stream().map(server -> server + " " + server.hub.signals().replica().position()
                + (server.id.equals(cut) ? " (cut off)" : "")).toList().toString();
    }

    /** Per list, the values any node that reaches the engine holds; per number, the highest value they hold. */
    private Map<String, Object> held() {
        Map<String, Object> held = new TreeMap<>();
        for (String list : LISTS) {
            Set<String> union = new HashSet<>();
            connected().forEach(server -> union.addAll(server.values(list)));
            held.put(list, union);
        }
        for (String number : NUMBERS) {
            held.put(number, connected().stream().mapToDouble(server -> server.number(number)).max().orElse(0));
        }
        return held;
    }

    /* --- Writes --- */

    /** Starts a burst of writes on each of {@code writers}, at once; says who writes how many. */
    private String write(List<Burst> bursts, List<Server> writers) {
        Burst burst = new Burst(writers, 3 + random.nextInt(12));
        bursts.add(burst);
        return " " + writers + " write " + burst.count + " each";
    }

    /** Writes from several nodes at once, one thread each, each with a random of its own drawn from the seed's. */
    private final class Burst {
        final int count;
        private final List<Thread> threads = new ArrayList<>();

        Burst(List<Server> writers, int count) {
            this.count = count;
            for (Server server : writers) {
                Random own = new Random(random.nextLong());
                threads.add(Thread.ofPlatform().name("signal-writer-" + server).start(() -> {
                    for (int i = 0; i < count; i++) {
                        if (!writeOne(server, own)) {
                            return;
                        }
                        sleep(own.nextInt(25));
                    }
                }));
            }
        }

        void join() {
            for (Thread thread : threads) {
                try {
                    thread.join(SETTLE.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    /** One insert of a unique value or one increment; false when the node was killed meanwhile. */
    private boolean writeOne(Server server, Random own) {
        ledger.readLock().lock();
        try {
            int era = losses.get();
            if (own.nextInt(3) < 2) {
                String list = LISTS.get(own.nextInt(LISTS.size()));
                String value = "v" + values.incrementAndGet() + "@" + server;
                try {
                    writes.add(new Write(server, list, value, server.lists.get(list).insertLast(value), era));
                } catch (PubSubSignalRefusedException refused) {
                    refusedAtTheCall.add(value);
                }
            } else {
                String number = NUMBERS.get(own.nextInt(NUMBERS.size()));
                try {
                    writes.add(new Write(server, number, "", server.numbers.get(number).incrementBy(1), era));
                } catch (PubSubSignalRefusedException refused) {
                    incrementsRefusedAtTheCall.incrementAndGet();
                }
            }
            return true;
        } catch (IllegalStateException closed) {
            return false;
        } finally {
            ledger.readLock().unlock();
        }
    }

    /* --- The check --- */

    /** Waits until the nodes that reach the engine agree and nothing confirmed is lost; fails with the context. */
    private void settle() {
        try {
            await().atMost(SETTLE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(200))
                    .untilAsserted(this::check);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not settled within " + SETTLE + ", " + context() + "\n" + nodeStates() + "\n"
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new AssertionError("the check failed, " + context(), e);
        }
    }

    private void check() {
        List<Server> connected = connected();
        assertThat(writes).filteredOn(write -> connected.contains(write.server) && !write.ended())
                .as("writes of the nodes that reach the engine, still waiting").isEmpty();
        Server first = connected.getFirst();
        long position = first.hub.signals().replica().position();
        for (Server server : connected) {
            assertThat(server.hub.signals().replica().position()).as("how far " + server + " and " + first
                    + " have read the log").isEqualTo(position);
        }
        for (String list : LISTS) {
            List<String> values = first.values(list);
            for (Server server : connected) {
                assertThat(server.values(list)).as(list + " on " + server + " and " + first).isEqualTo(values);
            }
            assertThat(values).as(list + " holds each value once").doesNotHaveDuplicates();
            assertThat(values).as(list + ": inserts refused at the call").filteredOn(refusedAtTheCall::contains)
                    .isEmpty();
            for (Write write : writes) {
                if (write.name.equals(list) && write.succeeded() && !write.forgotten) {
                    assertThat(values).as("confirmed: " + write).contains(write.value);
                } else if (write.name.equals(list) && write.refused()) {
                    assertThat(values).as("refused: " + write).doesNotContain(write.value);
                }
            }
        }
        for (String number : NUMBERS) {
            double value = first.number(number);
            for (Server server : connected) {
                assertThat(server.number(number)).as(number + " on " + server + " and " + first).isEqualTo(value);
            }
            double from = base.getOrDefault(number, 0.0);
            long succeeded = writes.stream().filter(write -> write.name.equals(number) && write.era == losses.get()
                    && write.succeeded()).count();
            long possible = writes.stream().filter(write -> write.name.equals(number) && !write.endedAtLastLoss
                    && !write.refused()).count();
            assertThat(value).as(number + ": at least what succeeded since the engine last lost its data (from "
                    + from + ")").isGreaterThanOrEqualTo(from + succeeded);
            assertThat(value).as(number + ": at most what was not refused since the engine last lost its data (from "
                    + from + ")").isLessThanOrEqualTo(from + possible);
        }
        for (String name : concat(LISTS, NUMBERS)) {
            for (Server server : connected) {
                assertThat(server.confirmed(name)).as(name + "'s nodes on " + server + " and " + first)
                        .isEqualTo(first.confirmed(name));
            }
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> both = new ArrayList<>(a);
        both.addAll(b);
        return both;
    }

    /** How far each live node has read the log, and where each of its trees was re-seeded from. */
    private String nodeStates() {
        List<String> lines = new ArrayList<>();
        for (Server server : servers.values()) {
            SignalReplica replica = server.hub.signals().replica();
            StringBuilder line = new StringBuilder(server + (server.id.equals(cut) ? " (cut off)" : "") + " at "
                    + replica.position() + ":");
            for (String name : concat(LISTS, NUMBERS)) {
                line.append(' ').append(name).append(" seed ").append(replica.tree(name).seed);
            }
            lines.add(line.toString());
        }
        return String.join("\n", lines);
    }

    /** The seed, how to replay it, and the last steps. */
    private String context() {
        return "seed " + SEED + " (replay: -Dflowpubsub.test.signalChaosSeed=" + SEED
                + " -Dflowpubsub.test.signalChaosSteps=" + started + "), " + summary() + ", the last steps:\n"
                + String.join("\n", log.subList(Math.max(0, log.size() - 15), log.size()));
    }

    private String summary() {
        Map<String, Integer> outcomes = new TreeMap<>();
        for (Write write : writes) {
            String outcome = write.outcome();
            int colon = outcome.indexOf(':');
            outcomes.merge(write.succeeded() ? "succeeded" : colon > 0 && outcome.startsWith("Error[reason=")
                    ? outcome.substring("Error[reason=".length(), colon) : outcome, 1, Integer::sum);
        }
        return writes.size() + " writes " + outcomes + ", " + (refusedAtTheCall.size() + incrementsRefusedAtTheCall.get())
                + " refused at the call, "
                + losses.get() + " engine losses";
    }

    /* --- Nodes --- */

    private List<Server> alive() {
        return List.copyOf(servers.values());
    }

    /** The live nodes that reach the engine. */
    private List<Server> connected() {
        return servers.values().stream().filter(server -> !server.id.equals(cut)).toList();
    }

    private List<Server> pick(List<Server> from, int count) {
        List<Server> shuffled = new ArrayList<>(from);
        Collections.shuffle(shuffled, random);
        return List.copyOf(shuffled.subList(0, Math.min(count, shuffled.size())));
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
