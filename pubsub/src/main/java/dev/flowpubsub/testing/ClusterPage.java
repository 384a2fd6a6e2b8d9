package dev.flowpubsub.testing;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.mock.MockedUI;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.internal.CurrentInstance;
import com.vaadin.flow.server.VaadinServlet;
import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.spi.support.Arguments;
import kotlin.jvm.functions.Function0;
import org.jspecify.annotations.Nullable;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * One browser tab on one node of a {@link PubSubCluster}: a Vaadin session of its own with one page (UI), mocked by
 * Karibu. Karibu keeps its mock Vaadin per thread, so each page has a thread; {@link #run} and {@link #call} run code
 * there, where {@code UI.getCurrent()}, {@code VaadinSession.getCurrent()} and Karibu's {@code _get} see this page.
 *
 * <p>What other nodes send reaches this page only in {@link PubSubCluster#deliverPending()}. What pages of the same
 * node send waits in the page's access queue (its session stays locked by its thread) until {@code deliverPending()}
 * runs it, or until Karibu's own lookups ({@code _get}, {@code _find}) run that queue, as they do in any Karibu test:
 * whether a same-node message is there before {@code deliverPending()} depends on the hub's threads, so assert after
 * it.
 *
 * <p>Thread-safe: every call is handed to the page's own thread.
 */
public final class ClusterPage implements AutoCloseable {

    private final ClusterNode node;
    private final ExecutorService thread;
    private volatile boolean closed;

    ClusterPage(ClusterNode node, VaadinServlet servlet, @Nullable String route,
                Consumer<VaadinSession> beforeNavigate) {
        this.node = node;
        this.thread = Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon()
                .name("karibu-" + node.name() + "-page", 1).factory());
        try {
            call(() -> {
                MockVaadin.setup((Function0<UI> & Serializable) MockedUI::new, servlet);
                beforeNavigate.accept(VaadinSession.getCurrent());
                if (route != null) {
                    UI.getCurrent().navigate(route);
                }
                return null;
            });
        } catch (RuntimeException | Error failed) { // a route not found, say: no thread left holding a session
            abandon();
            throw failed;
        }
    }

    /** The node this page is on. */
    public ClusterNode node() {
        return node;
    }

    /** Runs {@code action} on this page's thread, with this page current, and waits for it. */
    public void run(Runnable action) {
        Arguments.notNull(action, "action");
        call(() -> {
            action.run();
            return null;
        });
    }

    /**
     * Runs {@code action} on this page's thread, with this page current, and returns its result. An exception it
     * throws is thrown here (a checked one wrapped in {@link IllegalStateException}), an assertion error as is.
     *
     * @throws IllegalStateException if the page was closed, or its node stopped
     */
    public <T> T call(Callable<T> action) {
        Arguments.notNull(action, "action");
        if (closed) {
            throw new IllegalStateException("this page on node " + node.name() + " is closed");
        }
        try {
            return thread.submit(action).get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Records what this page receives on {@code topic} from now on, in the order it receives it: a subscription of
     * this page, as a view's would be.
     */
    public <T> Received<T> record(String topic, Class<T> type) {
        Arguments.topic(topic);
        Arguments.type(type);
        List<T> messages = new CopyOnWriteArrayList<>();
        run(() -> PubSub.of(UI.getCurrent()).subscribeTopic(topic, type, (T message) -> messages.add(message)));
        return new Received<>(node.name() + " page, topic " + topic, messages);
    }

    /** Runs the deliveries waiting in this page's session, on its thread; did any wait? */
    boolean runPending() {
        if (closed) {
            return false;
        }
        return call(() -> {
            VaadinSession session = VaadinSession.getCurrent();
            if (session == null || session.getPendingAccessQueue().isEmpty()) {
                return false;
            }
            session.getService().runPendingAccessTasks(session);
            return true;
        });
    }

    /** Closes this tab: its page closes and detaches (its subscriptions and presence end); the node goes on. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        try {
            run(() -> {
                MockVaadin.INSTANCE.closeCurrentUI(true);
                CurrentInstance.clearAll();
            });
        } finally {
            closed = true;
            thread.shutdownNow();
            node.closed(this);
        }
    }

    /** The node died: the page's thread ends with nothing run (a dead server detaches nothing). */
    void abandon() {
        closed = true;
        thread.shutdownNow();
    }

    boolean isClosed() {
        return closed;
    }

    @Override
    public String toString() {
        return "ClusterPage[node " + node.name() + (closed ? ", closed" : "") + "]";
    }
}
