package dev.flowpubsub.benchmarks.e2e;

import dev.flowpubsub.testsupport.DeflateSockets;
import dev.flowpubsub.testsupport.PushClient;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;

/**
 * The load generator's HTTP clients, and Jetty's WebSocket clients when pushes come compressed. One JDK
 * HttpClient reads all of its WebSockets on one selector thread: with 1,000 sockets on one client that thread,
 * not the server, decides when the last page has read a push. A client per 50 sockets; a Jetty client (with its
 * own selectors and threads) per 250.
 */
record Connections(List<HttpClient> https, List<DeflateSockets> deflating) implements AutoCloseable {

    private static final int SOCKETS_PER_HTTP_CLIENT = 50;

    static Connections open(EndToEndTool.Config config, ExecutorService callbacks) {
        int clients = config.clients();
        List<HttpClient> https = new ArrayList<>();
        for (int i = 0; i < Math.max(1, (clients + SOCKETS_PER_HTTP_CLIENT - 1) / SOCKETS_PER_HTTP_CLIENT); i++) {
            https.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(callbacks)
                    .connectTimeout(Duration.ofSeconds(10)).build());
        }
        List<DeflateSockets> deflating = new ArrayList<>();
        if (config.channel() == PushClient.Channel.WEBSOCKET_DEFLATE) {
            for (int i = 0; i < Math.max(1, (clients + 249) / 250); i++) {
                deflating.add(new DeflateSockets());
            }
        }
        return new Connections(https, deflating);
    }

    PushClient client(int index, AppServer server, String route, Tracker tracker, PushClient.Channel channel) {
        return new PushClient(index, https.get(index % https.size()), server.base, route, tracker,
                Duration.ofSeconds(30), channel, deflating.isEmpty() ? null : deflating.get(index % deflating.size()));
    }

    @Override
    public void close() {
        https.forEach(HttpClient::close);
        deflating.forEach(DeflateSockets::close);
    }
}
