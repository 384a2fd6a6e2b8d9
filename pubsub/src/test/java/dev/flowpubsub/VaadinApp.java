package dev.flowpubsub;

import com.github.mvysny.fakeservlet.FakeServletConfig;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.mock.MockVaadinHelper;
import com.github.mvysny.kaributesting.v10.mock.MockVaadinServlet;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.shared.communication.PushMode;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A real Vaadin service (from Karibu's mock servlet) with as many real sessions and UIs as a test needs:
 * Karibu's {@code MockVaadin.setup()} gives one UI per thread, but pub/sub is about many.
 *
 * <p>Between calls every session is unlocked, as on a server between requests, so deliveries run on the
 * hub's threads at once; {@link #deliver()} waits for them. Errors that reach a session's error handler
 * are collected, and {@link #close()} fails the test if there are any.
 */
public final class VaadinApp implements AutoCloseable {

    public final VaadinService service;
    private final MockVaadinServlet servlet;
    private final List<Throwable> sessionErrors = new CopyOnWriteArrayList<>();

    public VaadinApp() {
        try {
            servlet = new MockVaadinServlet(new Routes());
            servlet.init(new FakeServletConfig(MockVaadinHelper.INSTANCE.createMockContext()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        service = servlet.getService();
    }

    public PubSubHub hub() {
        return PubSubHub.get(service);
    }

    /** A new browser: one Vaadin session that will hold tabs. */
    public Browser browser() {
        return new Browser();
    }

    /** Waits until every sent message has been handled by every page that should receive it. */
    public void deliver() {
        try {
            if (!hub().awaitIdle(Duration.ofSeconds(30))) {
                throw new AssertionError("deliveries did not finish within 30 s: " + hub().stats());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    List<Throwable> sessionErrors() {
        return sessionErrors;
    }

    @Override
    public void close() {
        try {
            if (!sessionErrors.isEmpty()) {
                AssertionError error = new AssertionError("errors reached a session's ErrorHandler: " + sessionErrors);
                sessionErrors.forEach(error::addSuppressed);
                throw error;
            }
        } finally {
            servlet.destroy();
        }
    }

    /** Collects what reaches a session's error handler; serializable, keeping nothing of the test when serialized. */
    static final class CollectingErrorHandler implements com.vaadin.flow.server.ErrorHandler {

        private static final long serialVersionUID = 1L;

        private final transient List<Throwable> errors;

        CollectingErrorHandler(List<Throwable> errors) {
            this.errors = errors;
        }

        @Override
        public void error(com.vaadin.flow.server.ErrorEvent event) {
            if (errors != null) {
                errors.add(event.getThrowable());
            }
        }
    }

    /**
     * A Vaadin session with a lock of its own: the default reads it from the wrapped HTTP session, which this setup
     * does not have. A top-level class, so a session can be serialized (it keeps no reference to the test).
     */
    static final class OwnLockSession extends VaadinSession {

        private static final long serialVersionUID = 1L;

        private final Lock lock = new ReentrantLock();

        OwnLockSession(VaadinService service) {
            super(service);
        }

        @Override
        public Lock getLockInstance() {
            return lock;
        }
    }

    /** One browser session; {@link #tab()} opens a page in it. */
    public final class Browser {

        public final VaadinSession session;
        private int nextUiId;

        private Browser() {
            session = new OwnLockSession(service);
            session.lock();
            try {
                session.setErrorHandler(new CollectingErrorHandler(sessionErrors));
            } finally {
                session.unlock();
            }
        }

        /** Opens a new tab: a new UI attached to this session. */
        public UI tab() {
            return tab(UI::new);
        }

        /** Opens a tab whose UI has server push on, as with {@code @Push} on the app shell. */
        public UI pushTab() {
            UI ui = tab();
            ui.accessSynchronously(() -> ui.getPushConfiguration().setPushMode(PushMode.AUTOMATIC));
            return ui;
        }

        <U extends UI> U tab(Supplier<U> factory) {
            U ui = factory.get();
            session.lock();
            try {
                ui.getInternals().setSession(session);
                ui.doInit(null, nextUiId++, "ROOT");
                session.addUI(ui);
            } finally {
                session.unlock();
            }
            return ui;
        }

        /** Closes a tab as Vaadin does when the browser unloads it: the UI detaches. */
        public void closeTab(UI ui) {
            ui.accessSynchronously(() -> {
                ui.close();
                ui.getSession().removeUI(ui);
            });
        }

        /** Ends the session, as on expiry or invalidation: every UI detaches. */
        public void expire() {
            service.fireSessionDestroy(session);
        }
    }
}
