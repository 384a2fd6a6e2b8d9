package dev.flowpubsub.collaboration;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.mock.MockedUI;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.internal.CurrentInstance;
import com.vaadin.flow.server.VaadinServlet;
import com.vaadin.flow.server.VaadinSession;
import dev.flowpubsub.testing.PubSubTesting;
import kotlin.jvm.functions.Function0;

import java.io.Serializable;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A person in a browser session of their own on one {@link TestServer}. Karibu mocks one session per thread, so each
 * visitor has a thread; everything they do runs there, through {@link #does}, which runs pending deliveries first so
 * that what they look at is up to date. {@link #close()} closes their tab.
 */
final class Visitor implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    /** {@code user} opens {@code route} on {@code server}. */
    Visitor(VaadinServlet server, UserInfo user, String route) {
        run(() -> {
            MockVaadin.setup((Function0<UI> & Serializable) MockedUI::new, server); // serializable, as a page is
            CurrentUser.set(VaadinSession.getCurrent(), user);
            UI.getCurrent().navigate(route);
            return null;
        });
    }

    /** Runs what this visitor does, on their thread, after every pending delivery; returns its result. */
    <T> T sees(Callable<T> look) {
        return run(() -> {
            PubSubTesting.deliverPending();
            return look.call();
        });
    }

    private <T> T run(Callable<T> action) {
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

    /** Does something on this visitor's page. */
    void does(Runnable action) {
        sees(() -> {
            action.run();
            return null;
        });
    }

    /** Closes this visitor's tab now, before the test's end closes it (a second close does nothing). */
    void leave() {
        close();
    }

    /** Closes this visitor's tab: their UI closes and detaches; the server goes on. */
    @Override
    public void close() {
        if (thread.isShutdown()) {
            return;
        }
        try {
            does(() -> {
                MockVaadin.INSTANCE.closeCurrentUI(true);
                CurrentInstance.clearAll();
            });
        } finally {
            thread.shutdownNow();
        }
    }
}
