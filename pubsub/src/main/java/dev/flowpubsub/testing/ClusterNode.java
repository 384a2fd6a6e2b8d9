package dev.flowpubsub.testing;

import com.vaadin.flow.server.VaadinServlet;
import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.Presence;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.Nullable;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * One server of a {@link PubSubCluster}: its own Vaadin servlet and service, and a hub on the cluster's in-memory
 * engine. Pages are opened on it with {@link #open}; {@link #run} runs code on its first page.
 *
 * <p>Thread-safe.
 */
public final class ClusterNode {

    private final String name;
    private final VaadinServlet servlet;
    private final InMemoryTransport transport;
    private final PubSubHub hub;
    private final List<ClusterPage> pages = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    ClusterNode(String name, VaadinServlet servlet, InMemoryTransport transport) {
        this.name = name;
        this.servlet = servlet;
        this.transport = transport;
        this.hub = PubSubHub.get(servlet.getService()); // the servlet is initialized
    }

    /** The node's name: its hub's node id, and what faults are aimed at. */
    public String name() {
        return name;
    }

    /** The node's servlet (Karibu's mock, or the one the cluster's node factory made). */
    public VaadinServlet servlet() {
        return servlet;
    }

    /**
     * The node's hub.
     *
     * @throws IllegalStateException if the node was stopped or killed
     */
    public PubSubHub hub() {
        ensureRunning();
        return hub;
    }

    /** Whether the node runs: not stopped or killed (a restart is another {@code ClusterNode} of the same name). */
    public boolean isRunning() {
        return running;
    }

    /** Opens {@code route} in a new browser session on this node: a new user, with a thread of their own. */
    public ClusterPage open(String route) {
        return open(route, session -> { });
    }

    /** Opens a page showing no view in a new browser session on this node: for code that needs a page, not a view. */
    public ClusterPage open() {
        ensureRunning();
        ClusterPage page = new ClusterPage(this, servlet, null, session -> { });
        pages.add(page);
        return page;
    }

    /**
     * Opens {@code route} in a new browser session on this node, after {@code beforeNavigate} ran in that session (to
     * log a user in, say: {@code session -> session.setAttribute(User.class, ann)}).
     */
    public ClusterPage open(String route, Consumer<VaadinSession> beforeNavigate) {
        Arguments.notNull(route, "route");
        Arguments.notNull(beforeNavigate, "beforeNavigate");
        ensureRunning();
        ClusterPage page = new ClusterPage(this, servlet, route, beforeNavigate);
        pages.add(page);
        return page;
    }

    /** Runs {@code action} on this node's first page (a page with no view, opened on first use), with it current. */
    public void run(Runnable action) {
        firstPage().run(action);
    }

    /** Runs {@code action} on this node's first page (opened with no view on first use); returns its result. */
    public <T> T call(Callable<T> action) {
        return firstPage().call(action);
    }

    /**
     * Who is present on {@code topic}, as this node's hub sees it (after {@link PubSubCluster#deliverPending()}).
     *
     * @throws IllegalStateException if the node was stopped or killed
     */
    public List<Presence> presence(String topic) {
        return hub().presence(topic);
    }

    /** The pages open on this node now. */
    public List<ClusterPage> pages() {
        return pages.stream().filter(page -> !page.isClosed()).toList();
    }

    private ClusterPage firstPage() {
        ensureRunning();
        @Nullable ClusterPage first = pages().stream().findFirst().orElse(null);
        return first != null ? first : open();
    }

    private void ensureRunning() {
        if (!running) {
            throw new IllegalStateException("node " + name + " is not running: restart it with cluster.restart(\""
                    + name + "\") and use the node that returns");
        }
    }

    void closed(ClusterPage page) {
        pages.remove(page);
    }

    /** The hub, running or not: for the cluster's own work. */
    PubSubHub hubAnyway() {
        return hub;
    }

    /** Runs every page's waiting deliveries; did any page have some? */
    boolean runPending() {
        boolean any = false;
        for (ClusterPage page : pages()) {
            any |= page.runPending();
        }
        return any;
    }

    /** Stops in order: pages close (their presence ends), the hub says goodbye and closes, the servlet goes. */
    void stop() {
        if (!running) {
            return;
        }
        RuntimeException failed = null;
        for (ClusterPage page : pages()) {
            try {
                page.close();
            } catch (RuntimeException e) { // the others close all the same
                page.abandon();
                failed = failed == null ? e : failed;
            }
        }
        running = false;
        hub.close();
        servlet.destroy();
        if (failed != null) {
            throw failed;
        }
    }

    /** Dies: no page detaches, the hub says no goodbye, the engine tells the others it is gone. */
    void kill() {
        if (!running) {
            return;
        }
        running = false;
        pages.forEach(ClusterPage::abandon);
        pages.clear();
        transport.kill();
        hub.close();
        servlet.destroy();
    }

    @Override
    public String toString() {
        return "ClusterNode[" + name + (running ? "" : ", down") + ", " + pages().size() + " pages]";
    }
}
