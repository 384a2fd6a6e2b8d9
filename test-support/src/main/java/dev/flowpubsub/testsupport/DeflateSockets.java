package dev.flowpubsub.testsupport;

import org.eclipse.jetty.websocket.api.ExtensionConfig;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * WebSockets that offer permessage-deflate, as Chromium does, so the server compresses every push (Tomcat does when
 * offered): Jetty's WebSocket client, since the JDK's offers no extensions. One instance serves many
 * {@link PushClient}s; close it after them.
 *
 * <p>Threading: callbacks come on Jetty's threads, one at a time per socket.
 */
public final class DeflateSockets implements AutoCloseable {

    private final WebSocketClient client = new WebSocketClient();

    /** Starts Jetty's client. */
    public DeflateSockets() {
        client.setIdleTimeout(Duration.ofHours(1)); // idle pages stay open, as in a browser
        client.setMaxTextMessageSize(64L * 1024 * 1024);
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty's WebSocket client did not start", e);
        }
    }

    /** An open socket and the extensions the server accepted. */
    public record Socket(Session session, List<String> extensions) {
        void abort() {
            session.disconnect();
        }
    }

    /** Opens a socket offering permessage-deflate; completes once the server has answered the upgrade. */
    CompletableFuture<Socket> open(URI uri, String cookie, Consumer<String> onText, Consumer<Throwable> onError) {
        ClientUpgradeRequest request = new ClientUpgradeRequest(uri);
        request.addExtensions("permessage-deflate");
        request.setHeader("Cookie", cookie);
        SocketListener listener = new SocketListener(onText, onError);
        try {
            return client.connect(listener, request).thenApply(session -> new Socket(session,
                    session.getUpgradeResponse().getExtensions().stream().map(ExtensionConfig::getName).toList()));
        } catch (java.io.IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Public: Jetty calls its methods through method handles. */
    public static final class SocketListener implements Session.Listener.AutoDemanding {
        private final Consumer<String> onText;
        private final Consumer<Throwable> onError;

        SocketListener(Consumer<String> onText, Consumer<Throwable> onError) {
            this.onText = onText;
            this.onError = onError;
        }

        @Override
        public void onWebSocketText(String message) {
            onText.accept(message);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            onError.accept(cause);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("Jetty's WebSocket client did not stop", e);
        }
    }
}
