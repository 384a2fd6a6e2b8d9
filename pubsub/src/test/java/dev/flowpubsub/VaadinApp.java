package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.shared.communication.PushMode;
import dev.flowpubsub.testsupport.MockVaadinApp;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * The core's tests' Vaadin application: test-support's {@link MockVaadinApp} (real sessions and UIs, no
 * network) with the application's hub, browsers that open tabs, and errors collected.
 *
 * <p>Between calls every session is unlocked, as on a server between requests, so deliveries run on the
 * hub's threads at once; {@link #deliver()} waits for them. Errors that reach a session's error handler
 * are collected, and {@link #close()} fails the test if there are any.
 */
public final class VaadinApp implements AutoCloseable {

    public final VaadinService service;
    private final MockVaadinApp vaadin = new MockVaadinApp();
    private final List<Throwable> sessionErrors = new CopyOnWriteArrayList<>();

    public VaadinApp() {
        service = vaadin.service();
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
            vaadin.close();
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

    /** One browser session; {@link #tab()} opens a page in it. */
    public final class Browser {

        public final VaadinSession session;
        private final MockVaadinApp.OwnLockSession ownLockSession;

        private Browser() {
            ownLockSession = vaadin.newSession(new CollectingErrorHandler(sessionErrors));
            session = ownLockSession;
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
            return vaadin.open(ownLockSession, factory);
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
