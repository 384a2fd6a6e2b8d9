package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.UIDetachedException;
import com.vaadin.flow.server.Command;
import com.vaadin.flow.server.VaadinSession;
import com.vaadin.flow.shared.Registration;
import com.vaadin.flow.shared.communication.PushMode;
import dev.flowpubsub.internal.PushWatch;

/**
 * A page's {@link PageAccess} to Vaadin: its UI, session lock, push connection ({@link PushWatch}) and detach listener
 * ({@link PageDetachWatch}).
 *
 * <p>Threading: as {@link PageAccess} says.
 */
final class VaadinPageAccess implements PageAccess {

    private final UI ui;

    VaadinPageAccess(UI ui) {
        this.ui = ui;
    }

    @Override
    public int uiId() {
        return ui.getUIId();
    }

    @Override
    public boolean inSession() {
        return ui.getSession() != null;
    }

    /**
     * If the lock is free, takes it here and runs the batch directly (what {@code ui.access} would do, without queuing
     * a task for it); if another thread holds it (a request of this session), queues the batch with
     * {@code ui.accessLater}, so it runs right after that holder. A UI detached meanwhile runs {@code whenDetached}
     * rather than reporting a {@code UIDetachedException} to Vaadin's error handler.
     */
    @Override
    public void runLocked(Command batch, Command whenDetached) {
        VaadinSession session = ui.getSession();
        if (session == null) {
            whenDetached.execute();
            return;
        }
        if (session.getLockInstance().tryLock()) {
            try {
                ui.accessSynchronously(batch);
            } catch (UIDetachedException detached) {
                whenDetached.execute();
            } finally {
                session.unlock(); // as at the end of a request: runs the session's queued tasks, pushes
            }
        } else {
            ui.accessLater(batch::execute, whenDetached::execute).run();
        }
    }

    @Override
    public boolean pushInFlight(long nowNanos) {
        PushWatch.WatchedPushConnection push = PushWatch.connection(ui);
        return push != null && push.pushInFlight(nowNanos);
    }

    @Override
    public boolean pushesManually() {
        return ui.getPushConfiguration().getPushMode() == PushMode.MANUAL;
    }

    @Override
    public void push() {
        ui.push();
    }

    @Override
    public Registration onDetach(Page page) {
        return ui.addDetachListener(new PageDetachWatch(page));
    }

    /** The detach listener lives in the UI's component tree, which must only be touched under its session lock. */
    @Override
    public void removeUnderLock(Registration registration) {
        VaadinSession session = ui.getSession();
        if (session == null) {
            return; // detached: the UI and its listener are garbage together
        }
        if (session.hasLock()) {
            registration.remove();
            return;
        }
        ui.accessLater(registration::remove, () -> {
            // detached meanwhile: nothing left to clean
        }).run();
    }

    @Override
    public void watchPush(Page page) {
        PushWatch.listen(ui, page);
    }

    @Override
    public void purgeAccessQueue() {
        VaadinSession session = ui.getSession();
        if (session != null) {
            session.getService().ensureAccessQueuePurged(session);
        }
    }

    /** Fails unless this thread holds {@code session}'s lock, the session of {@code ui}, saying where to call from. */
    static void requireSessionLock(UI ui, VaadinSession session, String call) {
        if (!session.hasLock()) {
            throw new IllegalStateException(call + " needs the session lock of UI " + ui.getUIId()
                    + ": call it from a UI thread (a view constructor, a listener, onAttach) or wrap it in "
                    + "ui.access(...)");
        }
    }
}
