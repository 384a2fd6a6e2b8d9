package dev.flowpubsub.testsupport;

import com.github.mvysny.fakeservlet.FakeServletConfig;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.mock.MockVaadinHelper;
import com.github.mvysny.kaributesting.v10.mock.MockVaadinServlet;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.ErrorHandler;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * A real Vaadin service (from Karibu's mock servlet) with as many real sessions and UIs as a test or a benchmark
 * needs, without a network: Karibu's {@code MockVaadin.setup()} gives one UI per thread, but pub/sub is about many.
 * Sessions are unlocked between calls, as on a server between requests.
 *
 * <p>Threading: sessions and pages may be opened from any thread; each takes the session's own lock.
 */
public final class MockVaadinApp implements AutoCloseable {

    private final MockVaadinServlet servlet;
    private final VaadinService service;

    public MockVaadinApp() {
        try {
            servlet = new MockVaadinServlet(new Routes());
            servlet.init(new FakeServletConfig(MockVaadinHelper.INSTANCE.createMockContext()));
        } catch (Exception e) {
            throw new IllegalStateException("could not start Karibu's mock Vaadin servlet", e);
        }
        service = servlet.getService();
    }

    public VaadinService service() {
        return service;
    }

    /** A new browser session, whose errors (a failed {@code ui.access}) go to {@code errors}. */
    public OwnLockSession newSession(ErrorHandler errors) {
        OwnLockSession session = new OwnLockSession(service);
        session.lock();
        try {
            session.setErrorHandler(errors);
        } finally {
            session.unlock();
        }
        return session;
    }

    /** Opens a page in {@code session}: a UI from {@code factory}, initialized and attached as Vaadin does. */
    public <U extends UI> U open(OwnLockSession session, Supplier<U> factory) {
        U ui = factory.get();
        session.lock();
        try {
            ui.getInternals().setSession(session);
            ui.doInit(null, session.nextUiId++, "ROOT");
            session.addUI(ui);
        } finally {
            session.unlock();
        }
        return ui;
    }

    /** Destroys the service: every session and UI ends, as when the application stops. */
    @Override
    public void close() {
        servlet.destroy();
    }

    /**
     * A Vaadin session with a lock of its own: the default reads it from the wrapped HTTP session, which this setup
     * does not have. A top-level class that keeps nothing of the test, so a session can be serialized.
     */
    public static final class OwnLockSession extends VaadinSession {

        private static final long serialVersionUID = 1L;

        private final Lock lock = new ReentrantLock();
        /** The id of the next page opened in this session; guarded by the session's lock. */
        private int nextUiId;

        OwnLockSession(VaadinService service) {
            super(service);
        }

        @Override
        public Lock getLockInstance() {
            return lock;
        }
    }
}
