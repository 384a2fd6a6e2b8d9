package dev.flowpubsub.internal;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.communication.AtmospherePushConnection;
import com.vaadin.flow.server.communication.PushConnection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Gives every page a push connection that tells the hub when it is lost and when it is back, which Flow has no
 * public event for: a browser that crashes or is killed never says goodbye, only its push connection closes.
 * {@link PubSubServiceInitListener} applies it to every UI of every Vaadin service, with or without Spring.
 *
 * <p>The connection is set from a UI init listener rather than as a {@code PushConnectionFactory} service, because
 * Flow refuses to start a UI when two such services are on the classpath, and Vaadin's Kubernetes Kit registers one:
 * a UI whose connection is already of another subclass keeps it, and its presence is then only ended when Vaadin
 * closes the UI. Uses Flow's push classes marked "for internal use": check {@code PushWatchBrowserTest} on every
 * Vaadin upgrade.
 *
 * <p>The same connection keeps the future Atmosphere answers each push with, so the hub can hold a page's next batch
 * while its last push is still being written (the hub's {@code PushWaits}): under load a page then gets fewer, fuller pushes
 * instead of a growing queue of them inside Atmosphere.
 *
 * <p>Threading: {@link #watch} runs while the UI is bootstrapped, with its session locked.
 */
public final class PushWatch {

    /**
     * The push category, {@code dev.flowpubsub.push}, of this package's classes: the settings flow-pubsub gives
     * Atmosphere, and what it finds in Vaadin's push connection.
     */
    static final Logger LOG = LoggerFactory.getLogger("dev.flowpubsub.push");
    /** A push not written after this long is taken as lost (the browser stopped reading): the page goes on. */
    public static final long ABANDON_NANOS = TimeUnit.SECONDS.toNanos(10);
    /**
     * Flow's private field holding Atmosphere's future of the connection's last push; {@code null} if a Vaadin
     * upgrade renamed it, and then no page waits for its pushes (logged once).
     */
    private static final @Nullable Field OUTGOING = outgoingField();

    private PushWatch() {
    }

    private static @Nullable Field outgoingField() {
        try {
            Field field = AtmospherePushConnection.class.getDeclaredField("outgoingMessage");
            field.setAccessible(true);
            return field;
        } catch (ReflectiveOperationException | RuntimeException renamed) {
            LOG.warn("flow-pubsub: this Vaadin version's push connection has no field outgoingMessage, so pages do not "
                    + "wait for their last push to be written before their next batch (fewer, fuller pushes under "
                    + "load): report it with your Vaadin version", renamed);
            return null;
        }
    }

    /** The page's watched push connection, or {@code null}; any thread (a racy read of the UI's field is fine). */
    public static @Nullable WatchedPushConnection connection(UI ui) {
        return ui.getInternals().getPushConnection() instanceof WatchedPushConnection watched ? watched : null;
    }

    /** Makes the UI's push connections, the present one and those Vaadin creates later, watched ones. */
    public static void watch(UI ui) {
        ui.getPushConfiguration().setPushConnectionFactory(WatchedPushConnection::new);
        if (ui.getPushConfiguration().getPushMode().isEnabled()) {
            PushConnection current = ui.getInternals().getPushConnection();
            // a plain one, created before this listener ran and not yet connected (the browser connects later)
            if (current != null && current.getClass() == AtmospherePushConnection.class && !current.isConnected()) {
                ui.getInternals().setPushConnection(new WatchedPushConnection(ui));
            }
        }
    }

    /**
     * Tells {@code listener} when the page's push connection is lost or back; {@code null} stops telling. Caller
     * holds the page's session lock. A page whose connection is not a watched one (push off, another library's
     * connection) is not watched.
     */
    public static void listen(UI ui, @Nullable PushListener listener) {
        if (ui.getPushConfiguration().getPushMode().isEnabled()
                && ui.getInternals().getPushConnection() instanceof WatchedPushConnection watched) {
            watched.listener = listener;
        }
    }

    /** Told about a page's push connection; called with the page's session lock held, must not block. */
    public interface PushListener {
        void pushLost();

        void pushRestored();
    }

    /** Flow's Atmosphere push connection, telling its listener when it is lost and when it connects again. */
    public static final class WatchedPushConnection extends AtmospherePushConnection {

        private static final long serialVersionUID = 1L;

        transient volatile @Nullable PushListener listener;
        /** True inside {@link #connect}, which drops the previous connection first: not a loss the hub must hear of. */
        private transient boolean connecting;
        /** Atmosphere's future of the last push, until it is seen written; {@code null} when none is in flight. */
        private transient volatile @Nullable Future<?> inFlight;
        private transient volatile long inFlightSince;

        public WatchedPushConnection(UI ui) {
            super(ui);
        }

        /** Sends as Flow does, and keeps the future Atmosphere answered with. Session lock held. */
        @Override
        protected void sendMessage(String message) {
            super.sendMessage(message);
            if (OUTGOING != null) {
                try {
                    if (OUTGOING.get(this) instanceof Future<?> future) {
                        pushStarted(future);
                    }
                } catch (IllegalAccessException cannotHappen) {
                    inFlight = null;
                }
            }
        }

        /** A push left, to be written by Atmosphere: {@code future} is done once it has been. */
        void pushStarted(Future<?> future) {
            inFlightSince = System.nanoTime();
            inFlight = future;
        }

        /**
         * Whether the page's last push is still being written. False once Atmosphere has written it (or failed to),
         * once the connection it went to is gone, and after {@link #ABANDON_NANOS}. Any thread, never blocks.
         */
        @SuppressWarnings("ReferenceEquality") // clears the very future it looked at, not a newer push's
        public boolean pushInFlight(long now) {
            Future<?> future = inFlight;
            if (future == null) {
                return false;
            }
            boolean done;
            try {
                future.get(0, TimeUnit.NANOSECONDS); // not isDone(): Atmosphere's flag is not volatile, its latch is
                done = true;
            } catch (TimeoutException notYet) {
                done = now - inFlightSince > ABANDON_NANOS;
            } catch (ExecutionException | java.util.concurrent.CancellationException failed) {
                done = true;
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                done = false;
            }
            if (done && inFlight == future) {
                inFlight = null;
            }
            return !done;
        }

        @Override
        public void connect(org.atmosphere.cpr.AtmosphereResource resource) {
            inFlight = null; // a push to the previous connection will not be written any more (long polling: it was)
            connecting = true;
            try {
                super.connect(resource);
            } finally {
                connecting = false;
            }
            PushListener current = listener;
            if (current != null) {
                current.pushRestored();
            }
        }

        @Override
        public void connectionLost() {
            boolean wasConnected = getState() == State.CONNECTED;
            super.connectionLost();
            inFlight = null;
            PushListener current = listener;
            if (wasConnected && !connecting && current != null) {
                current.pushLost();
            }
        }
    }
}
