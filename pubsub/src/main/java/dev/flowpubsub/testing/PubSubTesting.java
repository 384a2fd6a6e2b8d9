package dev.flowpubsub.testing;

import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubHubBuilder;

import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * Makes deliveries deterministic in browserless tests (Karibu-Testing): after a send, one call runs
 * every pending delivery, so the next line can assert what the page shows. No sleeps, no polling.
 *
 * <pre>{@code
 * _setValue(_get(TextField.class, spec -> spec.withPlaceholder("Your message...")), "hi");
 * _click(_get(Button.class, spec -> spec.withText("Send")));
 * PubSubTesting.deliverPending();
 * assertEquals("Ann: hi", _get(Paragraph.class).getText());
 * }</pre>
 *
 * <p>Why it is needed: handlers run inside {@code ui.access(...)}, which Vaadin queues while the session is
 * locked; Karibu keeps the test's session locked on the test thread, and the hub's fan-out runs on its own
 * threads. This helper waits for the hub to hand every message to its pages (and for the shared signal writes
 * made on this node to be confirmed, with the effects they start), then runs the current
 * session's queued access tasks on the test thread, and repeats until nothing is left (a handler may send
 * again).
 *
 * <p>Must be called on the test thread, where {@code VaadinService.getCurrent()} is set (Karibu's
 * {@code MockVaadin.setup()} does that). Pages of other sessions, which are not locked, receive on the
 * hub's threads; this call waits for them too.
 *
 * <p>Several servers in one test: {@link #cluster}. A test that sends more than a page may in production (20 messages
 * at once, then 10 a second, per browser session): {@link #install} a hub without the send budget.
 */
public final class PubSubTesting {

    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    private PubSubTesting() {
    }

    /**
     * {@code nodes} servers of the application whose views {@code routes} lists, in this JVM, named {@code "a"},
     * {@code "b"}, ...: see {@link PubSubCluster}. For more settings, {@link PubSubCluster#builder()}.
     */
    public static PubSubCluster cluster(int nodes, com.github.mvysny.kaributesting.v10.Routes routes) {
        return PubSubCluster.builder().nodes(nodes).routes(routes).build();
    }

    /**
     * Makes a hub configured by {@code configure} the current Vaadin application's, in place of the default one, and
     * returns it. Call it right after {@code MockVaadin.setup(...)}, before a page subscribes; for example, to lift
     * the send budget for a test that sends a thousand messages from one page:
     * <pre>{@code PubSubTesting.install(hub -> hub.noSendBudget());}</pre>
     * The hub closes with the application ({@code MockVaadin.tearDown()}).
     *
     * @throws IllegalStateException if there is no current VaadinService, or a page already uses another hub
     */
    public static PubSubHub install(UnaryOperator<PubSubHubBuilder> configure) {
        VaadinService service = VaadinService.getCurrent();
        if (service == null) {
            throw new IllegalStateException("PubSubTesting.install(...) needs a current VaadinService: call it on the "
                    + "test thread after MockVaadin.setup(...)");
        }
        PubSubHub hub = configure.apply(PubSubHub.builder()).build();
        try {
            PubSubHub.install(service, hub, true);
        } catch (IllegalStateException inUse) {
            hub.close();
            throw inUse;
        }
        return hub;
    }

    /** {@link #deliverPending(Duration)} with a 10-second timeout. */
    public static void deliverPending() {
        deliverPending(DEFAULT_TIMEOUT);
    }

    /**
     * Runs every pending delivery of the current Vaadin application, then returns.
     *
     * @param timeout how long to wait for the hub's threads before failing
     * @throws IllegalStateException if there is no current VaadinService, or deliveries did not finish in time
     */
    public static void deliverPending(Duration timeout) {
        VaadinService service = VaadinService.getCurrent();
        if (service == null) {
            throw new IllegalStateException("PubSubTesting.deliverPending() needs a current VaadinService: call it "
                    + "on the test thread after MockVaadin.setup(...)");
        }
        deliverPending(PubSubHub.get(service), VaadinSession.getCurrent(), timeout);
    }

    /**
     * Runs every pending delivery of {@code hub}, including those queued in {@code session} when the calling
     * thread holds its lock.
     */
    public static void deliverPending(PubSubHub hub, VaadinSession session, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (;;) {
                Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
                if (!hub.awaitIdle(left)) {
                    throw new IllegalStateException("messages were still being delivered after " + timeout
                            + " (a handler blocked?): " + hub.stats());
                }
                if (session == null || !session.hasLock() || session.getPendingAccessQueue().isEmpty()) {
                    return;
                }
                session.getService().runPendingAccessTasks(session);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for deliveries", interrupted);
        }
    }
}
