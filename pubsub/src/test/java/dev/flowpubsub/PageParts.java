package dev.flowpubsub;

import com.vaadin.flow.server.Command;
import com.vaadin.flow.shared.Registration;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fakes of what a {@link Page} needs, so a page is tested without Vaadin (no UI, no session): its access to Vaadin,
 * the hub's runs, presence and reports, each recording what the page did.
 */
final class PageParts {

    /** A page's Vaadin, faked: batches run at once on the caller's thread, unless told otherwise. */
    static final class FakeAccess implements PageAccess {
        boolean inSession = true;
        boolean pushInFlight;
        boolean manualPush;
        /** What {@link #runLocked} throws before running the batch, if set (Vaadin refusing). */
        RuntimeException refuse;
        /** Whether {@link #runLocked} queues the batch (the session's lock is held elsewhere) instead of running it. */
        boolean lockHeldElsewhere;
        final List<Command> queuedBatches = new ArrayList<>();
        int pushes;
        RuntimeException pushFailure;
        int purges;
        int detachRemovals;
        Page watchedBy;

        @Override
        public int uiId() {
            return 7;
        }

        @Override
        public boolean inSession() {
            return inSession;
        }

        @Override
        public void runLocked(Command batch, Command whenDetached) {
            if (refuse != null) {
                throw refuse;
            }
            if (!inSession) {
                whenDetached.execute();
            } else if (lockHeldElsewhere) {
                queuedBatches.add(batch);
            } else {
                batch.execute();
            }
        }

        /** The session's lock is released: what was queued runs. */
        void release() {
            lockHeldElsewhere = false;
            List<Command> queued = List.copyOf(queuedBatches);
            queuedBatches.clear();
            queued.forEach(Command::execute);
        }

        @Override
        public boolean pushInFlight(long nowNanos) {
            return pushInFlight;
        }

        @Override
        public boolean pushesManually() {
            return manualPush;
        }

        @Override
        public void push() {
            pushes++;
            if (pushFailure != null) {
                throw pushFailure;
            }
        }

        @Override
        public Registration onDetach(Page page) {
            return () -> detachRemovals++;
        }

        @Override
        public void removeUnderLock(Registration registration) {
            registration.remove();
        }

        @Override
        public void watchPush(Page page) {
            watchedBy = page;
        }

        @Override
        public void purgeAccessQueue() {
            purges++;
        }
    }

    /** The hub's lanes, faked: pages to run are kept until the test drains them. */
    static final class FakeRuns implements PageServices.Runs {
        final List<Page> now = new CopyOnWriteArrayList<>();
        final List<Long> delays = new CopyOnWriteArrayList<>();
        final List<Page> afterPush = new CopyOnWriteArrayList<>();
        final List<FakeTimer> graces = new CopyOnWriteArrayList<>();

        @Override
        public void now(Page page) {
            now.add(page);
        }

        @Override
        public void after(Page page, long delayNanos) {
            delays.add(delayNanos);
            now.add(page);
        }

        @Override
        public void afterPush(Page page, PageAccess access) {
            afterPush.add(page);
        }

        @Override
        public ScheduledFuture<?> afterDisconnectGrace(Runnable action) {
            FakeTimer timer = new FakeTimer(action);
            graces.add(timer);
            return timer;
        }

        /** Runs the batches of every page handed to the lanes, until none is left. */
        void drain() {
            while (!now.isEmpty()) {
                now.removeFirst().drain();
            }
        }
    }

    /** A timer whose action runs when the test says the time has come. */
    static final class FakeTimer implements ScheduledFuture<Object> {
        private final Runnable action;
        boolean cancelled;

        FakeTimer(Runnable action) {
            this.action = action;
        }

        void fire() {
            if (!cancelled) {
                action.run();
            }
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return 0;
        }

        @Override
        public int compareTo(Delayed other) {
            return 0;
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            cancelled = true;
            return true;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    /** Presence, faked: what pages told it. */
    static final class RecordingPresence implements PageServices.PresenceLink {
        final List<String> told = new CopyOnWriteArrayList<>();

        @Override
        public void leave(Presences.Member member) {
            told.add("leave " + member.id());
        }

        @Override
        public void rejoin(Page page, PresenceJoin join) {
            told.add("rejoin " + join.member.id());
        }

        @Override
        public void leaveWhileAway(Page page, PresenceJoin join) {
            told.add("away " + join.member.id());
        }
    }

    /** Reports, faked: drops and failures as lines. */
    static final class RecordingReports implements PageServices.Reports {
        final List<String> reported = new CopyOnWriteArrayList<>();

        @Override
        public void dropped(int uiId, int capacity, boolean first) {
            reported.add("dropped" + (first ? " first" : ""));
        }

        @Override
        public void handlerFailed(int uiId, String topic, Class<?> messageType, Throwable failure) {
            reported.add("failed " + messageType.getSimpleName() + ": " + failure.getMessage());
        }

        @Override
        public boolean fromOtherNode(Envelope envelope) {
            return false;
        }
    }

    final FakeAccess access = new FakeAccess();
    final FakeRuns runs = new FakeRuns();
    final RecordingPresence presence = new RecordingPresence();
    final RecordingReports reports = new RecordingReports();
    final SubscriptionIndex index = new SubscriptionIndex();
    final Counters counters = new Counters();

    /** The services of pages with room for {@code capacity} messages, dropping the oldest when full. */
    PageServices services(int capacity) {
        return new PageServices(capacity, OverflowPolicy.DROP_OLDEST, 0, index, counters, new Latencies(), runs,
                presence, reports);
    }

    /** A page of these fakes, keyed by {@code key} (what a UI is to the hub: an identity). */
    Page page(Object key, int capacity) {
        return new Page(key, access, services(capacity));
    }

    /** A message on a topic, numbered. */
    static Envelope message(String topic, Object message, long number) {
        return Envelope.local(topic, message, null, number);
    }

    /** A handler that records what it gets, and throws for messages equal to {@code failOn}. */
    static TopicMessageHandler<Object> recording(List<Object> into, Object failOn) {
        return (topic, message) -> {
            if (message.equals(failOn)) {
                throw new IllegalStateException("handler failed on " + message);
            }
            into.add(message);
        };
    }
}
