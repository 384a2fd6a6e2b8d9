package dev.flowpubsub.chat;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.mock.MockedUI;
import com.vaadin.flow.internal.CurrentInstance;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinServlet;
import com.vaadin.flow.server.VaadinServletService;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Another user of the same application, in a browser session of their own. Karibu mocks one session per
 * thread, so each user gets a thread; everything that user does runs there, through {@link #does}.
 * {@link #close()} is this user closing their tab: the application, owned by the test's own thread, goes on.
 */
final class ChatUser implements AutoCloseable {

    private final ExecutorService thread = Executors.newSingleThreadExecutor();

    /** Opens the chat for a new user on the application the calling thread has mocked. */
    ChatUser() {
        this(((VaadinServletService) VaadinService.getCurrent()).getServlet());
    }

    /** Opens the chat for a new user on {@code servlet}'s application: another server's, say. */
    ChatUser(VaadinServlet servlet) {
        does(() -> {
            MockVaadin.setup(MockedUI::new, servlet);
            return null;
        });
    }

    /** Runs what this user does (clicks, reads) on their own thread and returns its result. */
    <T> T does(Callable<T> action) {
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
     * Closes this user's tab: their UI closes and detaches, as when the browser's unload beacon arrives. Not
     * {@code MockVaadin.tearDown()}, which would also destroy the Vaadin service, and the hub with it, that
     * the other users are still on. A second call does nothing.
     */
    @Override
    public void close() {
        if (thread.isShutdown()) {
            return;
        }
        try {
            does(() -> {
                MockVaadin.INSTANCE.closeCurrentUI(true);
                CurrentInstance.clearAll();
                return null;
            });
        } finally {
            thread.shutdownNow();
        }
    }
}
