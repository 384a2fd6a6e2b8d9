package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.communication.AtmospherePushConnection;
import com.vaadin.flow.server.communication.PushConnection;

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
 * <p>Threading: {@link #watch} runs while the UI is bootstrapped, with its session locked.
 */
final class PushWatch {

    private PushWatch() {
    }

    /** Makes the UI's push connections, the present one and those Vaadin creates later, watched ones. */
    static void watch(UI ui) {
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
    static void listen(UI ui, PushListener listener) {
        if (ui.getPushConfiguration().getPushMode().isEnabled()
                && ui.getInternals().getPushConnection() instanceof WatchedPushConnection watched) {
            watched.listener = listener;
        }
    }

    /** Told about a page's push connection; called with the page's session lock held, must not block. */
    interface PushListener {
        void pushLost();

        void pushRestored();
    }

    /** Flow's Atmosphere push connection, telling its listener when it is lost and when it connects again. */
    static final class WatchedPushConnection extends AtmospherePushConnection {

        private static final long serialVersionUID = 1L;

        transient volatile PushListener listener;
        /** True inside {@link #connect}, which drops the previous connection first: not a loss the hub must hear of. */
        private transient boolean connecting;

        WatchedPushConnection(UI ui) {
            super(ui);
        }

        @Override
        public void connect(org.atmosphere.cpr.AtmosphereResource resource) {
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
            PushListener current = listener;
            if (wasConnected && !connecting && current != null) {
                current.pushLost();
            }
        }
    }
}
