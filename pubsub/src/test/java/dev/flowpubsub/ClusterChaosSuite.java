package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.TcpProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two nodes on a real engine, real pages on both, and faults chosen by a seeded random, shared by every transport as
 * {@link TransportConformanceSuite} is: pages open and close, handlers throw, the engine is killed and restarted,
 * frozen (SIGSTOP) and resumed, one node is cut off from it (its {@link TcpProxy} drops every connection and refuses
 * new ones) and restored, and one node is restarted with the same id, all while both nodes send. Checked message by
 * message: every page receives each live sender's messages from when it subscribed, exactly once, in that sender's
 * order (a page that left, or a sender that was stopped, may miss what came after); nothing is dropped, refused or
 * missed; nothing is kept of the pages that left.
 *
 * <p>Extend it and say how to run the engine and make a transport for one node. Each node reaches the engine
 * through a proxy of its own (kept across the node's restarts), so the suite can cut one node's network.
 *
 * <p>Runs {@code flowpubsub.test.chaosSeconds} ({@link #defaultChaos()} if not given) with seed
 * {@code flowpubsub.test.chaosSeed}, both printed, so a failure can be replayed.
 */
public abstract class ClusterChaosSuite {

    private static final long SEED = Long.getLong("flowpubsub.test.chaosSeed", 20261130L);
    private static final String TOPIC = "chaos";

    private final Random random = new Random(SEED);
    private final Map<String, Node> nodes = new HashMap<>();
    /** Each node id's network to the engine, kept across the node's restarts. */
    private final Map<String, TcpProxy> networks = new HashMap<>();
    private final List<Page> pages = new CopyOnWriteArrayList<>();
    private final List<Sender> senders = new CopyOnWriteArrayList<>();
    private final AtomicLong thrown = new AtomicLong();
    /** The steps taken, in order, and how many of each kind. */
    private final List<String> log = new ArrayList<>();
    private final Map<String, Integer> tally = new TreeMap<>();

    /** Starts this test's engine; called before the first node. */
    protected abstract void startEngine();

    /** The loopback port the engine listens on. */
    protected abstract int enginePort();

    /**
     * A transport for one node, reaching the engine at {@code 127.0.0.1:port} (that node's proxy), with timeouts
     * short enough that a frozen engine is found out within the test's time.
     */
    protected abstract Transport newTransport(int port);

    /** Kills the engine at once, as a crash does; what it acknowledged must survive into {@link #restartEngine()}. */
    protected abstract void killEngine();

    /** Starts the engine again after {@link #killEngine()}, on the same port with the same data. */
    protected abstract void restartEngine();

    /** Freezes the engine (SIGSTOP): connections stay open, nothing is answered. */
    protected abstract void freezeEngine();

    /** Lets a frozen engine go on (SIGCONT). */
    protected abstract void resumeEngine();

    /** Stops the engine for good after the test, resumed first if frozen. */
    protected abstract void closeEngine();

    /**
     * How long the chaos lasts unless {@code flowpubsub.test.chaosSeconds} says: 15 s, in which the default seed's
     * steps include every kind of fault (its first restart of a node comes about 14 steps in).
     */
    protected Duration defaultChaos() {
        return Duration.ofSeconds(15);
    }

    private Duration chaos() {
        Long seconds = Long.getLong("flowpubsub.test.chaosSeconds");
        return seconds == null ? defaultChaos() : Duration.ofSeconds(seconds);
    }

    private String name() {
        return getClass().getSimpleName();
    }

    @BeforeEach
    void startChaos() {
        System.out.println(name() + ": seed " + SEED + ", " + chaos().toSeconds() + " s");
        startEngine();
    }

    @AfterEach
    void stopChaos() {
        try {
            senders.forEach(Sender::stop);
            for (Node node : nodes.values()) {
                node.app.close();
            }
        } finally {
            networks.values().forEach(TcpProxy::close);
            closeEngine();
        }
    }

    /** One node, its incarnation (restarts with the same id count up) and its sender. */
    private final class Node {
        final String id;
        final int incarnation;
        final VaadinApp app = new VaadinApp();
        final PubSubHub hub;
        final Sender sender;

        Node(String id, int incarnation) {
            this.id = id;
            this.incarnation = incarnation;
            TcpProxy network = networks.computeIfAbsent(id, each -> new TcpProxy(enginePort()));
            hub = PubSubHub.builder().transport(newTransport(network.port())).codec(JsonCodec.allowing())
                    .queueCapacity(100_000).nodeId(id).inboxCapacity(100_000).noSendBudget().install(app.service);
            this.sender = new Sender(id + "@" + incarnation, this);
            senders.add(sender);
        }
    }

    /** Sends "sender|n" for n = 0, 1, ... through its node's hub, from a thread of its own. */
    private static final class Sender {
        final String name;
        private final AtomicLong next = new AtomicLong();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;
        /** Whether it was stopped by its node's restart (then its last messages may be lost with the node). */
        volatile boolean stoppedWithItsNode;

        Sender(String name, Node node) {
            this.name = name;
            thread = Thread.ofPlatform().name("sender-" + name).start(() -> {
                while (running.get()) {
                    try {
                        node.hub.sendAllOnTopic(TOPIC, name + "|" + next.get());
                        next.incrementAndGet();
                    } catch (IllegalStateException closed) {
                        return; // the node is being restarted
                    }
                    sleep(4);
                }
            });
        }

        /** How many it sent (the numbers 0 to count - 1). */
        long sent() {
            return next.get();
        }

        void stop() {
            running.set(false);
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A page subscribed to the topic: what it received from each sender, in order. */
    private final class Page {
        final Node node;
        final VaadinApp.Browser browser;
        final UI ui;
        /**
         * How many each sender had sent right after this page subscribed. The one it was sending then may have gone
         * out before the subscription; every one after that must reach the page.
         */
        final Map<String, Long> sentBefore = new HashMap<>();
        final Map<String, List<Long>> received = new ConcurrentHashMap<>();
        volatile boolean open = true;
        final boolean throwsSometimes;

        Page(Node node, boolean throwsSometimes) {
            this.node = node;
            this.throwsSometimes = throwsSometimes;
            browser = node.app.browser();
            ui = browser.pushTab();
            ui.accessSynchronously(() -> PubSub.current().subscribeTopic(TOPIC, String.class, this::handle));
            for (Sender sender : senders) {
                sentBefore.put(sender.name, sender.sent());
            }
        }

        private void handle(String message) {
            int bar = message.indexOf('|');
            long n = Long.parseLong(message.substring(bar + 1));
            received.computeIfAbsent(message.substring(0, bar), s -> new CopyOnWriteArrayList<>()).add(n);
            if (throwsSometimes && n % 97 == 0) {
                thrown.incrementAndGet();
                throw new IllegalStateException("a handler that fails now and then");
            }
        }

        void close() {
            open = false;
            browser.closeTab(ui);
        }
    }

    @Test
    void underPageChurnHandlerErrorsAndEngineNetworkAndNodeFaults_everyPageGetsEachLiveSendersMessagesOnceInOrder() {
        nodes.put("node-a", new Node("node-a", 1));
        nodes.put("node-b", new Node("node-b", 1));
        for (int i = 0; i < 4; i++) {
            pages.add(new Page(nodes.get(i % 2 == 0 ? "node-a" : "node-b"), i == 3));
        }

        long end = System.nanoTime() + chaos().toNanos();
        while (System.nanoTime() < end) {
            step();
            sleep(100 + random.nextInt(400));
        }
        senders.forEach(Sender::stop);
        System.out.println(name() + ": " + log.size() + " steps " + tally + ": " + log);
        if (Long.getLong("flowpubsub.test.chaosSeconds") == null) { // the build's run: every kind of fault, once at least
            assertThat(tally.keySet()).as("kinds of steps taken").containsExactlyInAnyOrder("open a page",
                    "close a page", "kill the engine", "freeze the engine", "restart a node", "cut a node off");
        }

        // every open page gets each sender's last message (the stopped senders' last ones may be lost)
        long stopped = System.nanoTime();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(this::openPagesCaughtUp);
        long sent = senders.stream().mapToLong(Sender::sent).sum();
        System.out.println(name() + ": " + sent + " messages sent by " + senders.size() + " senders to "
                + pages.size() + " pages, " + thrown.get() + " handler errors thrown; open pages caught up "
                + Duration.ofNanos(System.nanoTime() - stopped).toMillis() + " ms after the senders stopped");
        for (Node node : nodes.values()) {
            System.out.println(name() + ": " + node.id + " " + node.hub.stats());
        }
        for (Page page : pages) {
            checkOnceAndInOrder(page);
        }
        for (Node node : nodes.values()) {
            PubSubStats stats = node.hub.stats();
            assertThat(stats.dropped()).as("dropped on %s", node.id).isZero();
            assertThat(stats.refused()).as("refused on %s", node.id).isZero();
            assertThat(stats.remoteMissed()).as("missed on %s", node.id).isZero();
        }

        for (Page page : pages) {
            if (page.open) {
                page.close();
            }
        }
        for (Node node : nodes.values()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> node.hub.stats().subscribedUis() == 0);
            PubSubStats stats = node.hub.stats();
            assertThat(stats.subscriptions()).as("subscriptions kept on %s", node.id).isZero();
            assertThat(stats.pending()).as("messages kept on %s", node.id).isZero();
        }
    }

    /** One step chosen by the seeded random (or none), logged. */
    private void step() {
        int dice = random.nextInt(100);
        if (dice < 35) {
            Node node = nodes.get(randomNodeId());
            pages.add(new Page(node, random.nextInt(4) == 0));
            done("open a page", "open a page on " + node.id);
        } else if (dice < 60) {
            List<Page> open = pages.stream().filter(page -> page.open).toList();
            if (open.size() > 2) {
                Page page = open.get(random.nextInt(open.size()));
                page.close();
                done("close a page", "close a page on " + page.node.id);
            }
        } else if (dice < 70) {
            int down = 200 + random.nextInt(1_500);
            killEngine();
            try {
                sleep(down);
            } finally {
                restartEngine();
            }
            done("kill the engine", "kill the engine, restart after " + down + " ms");
        } else if (dice < 80) {
            int frozen = 200 + random.nextInt(2_500);
            freezeEngine();
            try {
                sleep(frozen);
            } finally {
                resumeEngine();
            }
            done("freeze the engine", "freeze the engine, resume after " + frozen + " ms");
        } else if (dice < 85) {
            restartNode("node-b");
            done("restart a node", "restart node-b with the same id");
        } else if (dice < 92) {
            String id = randomNodeId();
            int away = 200 + random.nextInt(2_500);
            TcpProxy network = networks.get(id);
            network.cut();
            try {
                sleep(away);
            } finally {
                network.restore();
            }
            done("cut a node off", "cut " + id + " off the engine, restore after " + away + " ms");
        }
    }

    private void done(String kind, String what) {
        log.add(what);
        tally.merge(kind, 1, Integer::sum);
    }

    private String randomNodeId() {
        return random.nextBoolean() ? "node-a" : "node-b";
    }

    /** Node {@code id} stops (its pages with it) and starts again with the same id, as a StatefulSet pod does. */
    private void restartNode(String id) {
        Node old = nodes.get(id);
        old.sender.stoppedWithItsNode = true;
        old.sender.stop();
        for (Page page : pages) {
            if (page.node == old) {
                page.open = false;
            }
        }
        old.app.close();
        Node restarted = new Node(id, old.incarnation + 1);
        nodes.put(id, restarted);
        pages.add(new Page(restarted, false));
    }

    private boolean openPagesCaughtUp() {
        for (Page page : pages) {
            if (!page.open) {
                continue;
            }
            for (Sender sender : senders) {
                if (sender.stoppedWithItsNode || sender.sent() <= page.sentBefore.getOrDefault(sender.name, 0L) + 1) {
                    continue;
                }
                List<Long> got = page.received.getOrDefault(sender.name, List.of());
                if (got.isEmpty() || got.getLast() < sender.sent() - 1) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * From each sender: consecutive numbers, no repeat, no gap; starting no later than the first one sent after the
     * page subscribed; for an open page and a live sender, up to its last.
     */
    private void checkOnceAndInOrder(Page page) {
        for (Map.Entry<String, List<Long>> entry : page.received.entrySet()) {
            List<Long> got = entry.getValue();
            for (int i = 1; i < got.size(); i++) {
                assertThat(got.get(i)).as("from %s on a page of %s: after %d", entry.getKey(), page.node.id, got.get(i - 1))
                        .isEqualTo(got.get(i - 1) + 1);
            }
            if (!got.isEmpty()) {
                assertThat(got.getFirst()).as("first from %s on a page of %s", entry.getKey(), page.node.id)
                        .isLessThanOrEqualTo(page.sentBefore.getOrDefault(entry.getKey(), 0L) + 1);
            }
        }
        if (!page.open) {
            return;
        }
        for (Sender sender : senders) {
            long before = page.sentBefore.getOrDefault(sender.name, 0L);
            if (!sender.stoppedWithItsNode && sender.sent() > before + 1) {
                assertThat(page.received.get(sender.name)).as("from %s on an open page of %s", sender.name, page.node.id)
                        .isNotEmpty().last().isEqualTo(sender.sent() - 1);
            }
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
