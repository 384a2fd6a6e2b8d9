package dev.flowpubsub;

import com.vaadin.flow.server.Command;
import com.vaadin.flow.shared.Registration;

/**
 * The one seam between a {@link Page} and Vaadin: the page's session lock, its push, its detach. Everything else of a
 * page is plain Java, unit-tested with a fake of this interface; {@link VaadinPageAccess} is the real one.
 *
 * <p>Threading: as each method says; none blocks on another session's lock.
 */
interface PageAccess {

    /** The page's UI id, for logs and error reports. Any thread. */
    int uiId();

    /** Whether the page is still in a session; once it is not, it has gone (detached). Any thread. */
    boolean inSession();

    /**
     * Runs {@code batch} with the page's session lock held: here and now if the lock is free (then the session's other
     * queued tasks run, and the page is pushed, when it is released), else queued to run right after the lock's
     * holder, never waiting for it. {@code whenDetached} runs instead if the page detaches first. A delivery lane.
     * Both are Vaadin's {@link Command}, made once per page, so a drain whose lock is free allocates none.
     *
     * @throws RuntimeException when Vaadin fails around the batch (see {@link Page#drain})
     */
    void runLocked(Command batch, Command whenDetached);

    /** Whether the page's last push is still being written (one push in flight per page). Any thread, never blocks. */
    boolean pushInFlight(long nowNanos);

    /** Whether the page pushes only when asked ({@code PushMode.MANUAL}). Session lock held. */
    boolean pushesManually();

    /** Pushes the page's changes now. Session lock held. */
    void push();

    /** Calls {@code page.close()} when the page detaches. Session lock held. */
    Registration onDetach(Page page);

    /** Removes a registration made under the session lock: now if this thread holds it, else with the next access. */
    void removeUnderLock(Registration registration);

    /** Tells {@code page} when the page's push connection is lost and back. Session lock held. */
    void watchPush(Page page);

    /** After Vaadin failed around a batch: runs what the session still has queued, so nothing waits for a request. */
    void purgeAccessQueue();
}
