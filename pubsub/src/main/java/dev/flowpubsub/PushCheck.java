package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.AppShellRegistry;
import com.vaadin.flow.server.VaadinSession;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Once per hub, at the first subscription: if the application's shell has no {@code @Push} and this page has no push
 * either, says how to turn it on. Decided from the application, not from one page: a test's mocked page has push off,
 * and is not worth a warning (its application has no shell there). An application without a shell gets no warning
 * either: in Vaadin 24 and later {@code @Push} goes only on a shell, so such an application configures push some other
 * way (an init parameter, per page in code), or has chosen to run without it.
 *
 * <p>Threading: any thread; the page's session lock held.
 */
final class PushCheck {

    private final AtomicBoolean checked = new AtomicBoolean();

    void check(UI ui) {
        if (checked.get() || !checked.compareAndSet(false, true)) {
            return;
        }
        Class<?> shell;
        try {
            VaadinSession session = ui.getSession();
            shell = session == null ? null : AppShellRegistry.getInstance(session.getService().getContext()).getShell();
        } catch (RuntimeException unusualSetup) {
            // a session without a service or context (a hand-built test setup): no shell to judge, and a
            // subscription must not fail for a warning
            return;
        }
        if (shell != null && !shell.isAnnotationPresent(Push.class) && !ui.getPushConfiguration().getPushMode().isEnabled()) {
            Page.LOG.warn("flow-pubsub: the application has no server push, so messages reach a browser only with its "
                    + "next request. Add @Push to {} (com.vaadin.flow.component.page.Push). This warning is shown once.",
                    shell.getName());
        }
    }
}
