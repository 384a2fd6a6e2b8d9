package dev.flowpubsub.testsupport;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One browser tab on the chat, without a browser: it speaks as much of Vaadin 25's client protocol as a chat user
 * needs (bootstrap, navigation, typing and clicking Send as UIDL requests, receiving pushed UI updates over
 * Atmosphere's WebSocket, or over its long polling as a browser behind a proxy that refuses WebSockets falls back
 * to), as captured from Chromium and described in STACK.md. Each client has its own cookie, so
 * its own Vaadin session. Every message text carries a marker ({@code qz<seq>zq}); the client reports each marker
 * it sees in a pushed update or in a response, once.
 *
 * <p>Threading: the WebSocket's callbacks come one at a time, as do long polls (the next starts when the last
 * answered); responses arrive on the HTTP client's executor. One UIDL request is in flight per client at a time,
 * as in a browser.
 */
public final class PushClient {

    /** How pushed updates reach the client. */
    public enum Channel {
        /** Atmosphere over a WebSocket, Vaadin's default, without compression. */
        WEBSOCKET,
        /** The same, offering permessage-deflate as Chromium does: the server compresses each push. */
        WEBSOCKET_DEFLATE,
        /**
         * Atmosphere's long polling, Vaadin's fallback: a GET the server answers with what it pushed, then the next
         * GET; what the server pushes between two GETs waits for the next.
         */
        LONG_POLLING
    }

    /** Told about every message marker a client sees the first time. */
    public interface Receipts {
        /** Receipts nobody reads. */
        Receipts NONE = new Receipts() {
            @Override
            public void received(int client, long seq, long nanos) {
            }

            @Override
            public void pushed(int client) {
            }
        };

        void received(int client, long seq, long nanos);

        /** A pushed UI update (one UIDL message over the WebSocket) reached a client. */
        void pushed(int client);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long Vaadin's client waits for a missing update before it asks for the whole page (its default). */
    private static final Duration MAX_MESSAGE_SUSPEND = Duration.ofSeconds(5);

    private final int index;
    private final HttpClient http;
    private final URI base;
    private final String route;
    private final Receipts receipts;
    private final Duration timeout;
    private final Channel channel;
    private final AtmosphereFrames frames = new AtmosphereFrames(this::onPayload);
    /** The tracking id Atmosphere's handshake gave; null before it, or if it gave none. */
    private volatile String handshakeTrackingId;
    private volatile boolean closed;
    private final DeflateSockets deflateSockets;
    private volatile DeflateSockets.Socket deflateSocket;
    private volatile CompletableFuture<?> poll = CompletableFuture.completedFuture(null);
    private final AtomicLong polls = new AtomicLong();
    private final UidlSequence sequence = new UidlSequence(MAX_MESSAGE_SUSPEND, () -> closed, this::resynchronize);
    private final UidlReader reader;
    private final AtomicLong resyncs = new AtomicLong();
    private final AtomicLong pushesSeen = new AtomicLong();
    private volatile String lastPollStatus = "none";
    private String pushUrl;

    private String cookie;
    private int uiId;
    private String csrfToken;
    private UidlReader.Controls controls;
    private final AtomicBoolean requestInFlight = new AtomicBoolean();
    private WebSocket socket;
    private final CompletableFuture<Void> handshake = new CompletableFuture<>();

    /**
     * @param index    this client's number, passed back in {@link Receipts}
     * @param http     shared by many clients (each sets its own cookie)
     * @param base     the application's URL, ending in {@code /}
     * @param route    the route to open, such as {@code ""}; it must show a field with the placeholder
     *                 "Your message..." and a button
     */
    public PushClient(int index, HttpClient http, URI base, String route, Receipts receipts, Duration timeout) {
        this(index, http, base, route, receipts, timeout, Channel.WEBSOCKET, null);
    }

    /**
     * A client whose pushed updates come over {@code channel}.
     *
     * @param deflateSockets where {@link Channel#WEBSOCKET_DEFLATE} opens its socket; {@code null} for the others
     */
    public PushClient(int index, HttpClient http, URI base, String route, Receipts receipts, Duration timeout,
                      Channel channel, DeflateSockets deflateSockets) {
        if (channel == Channel.WEBSOCKET_DEFLATE && deflateSockets == null) {
            throw new IllegalArgumentException("WEBSOCKET_DEFLATE needs DeflateSockets");
        }
        this.channel = channel;
        this.deflateSockets = deflateSockets;
        this.index = index;
        this.http = http;
        this.base = base;
        this.route = route;
        this.receipts = receipts;
        this.reader = new UidlReader(index, receipts, sequence);
        this.timeout = timeout;
    }

    /** Bootstraps the page, navigates to the route (the view attaches and subscribes) and opens the push channel. */
    public void open() throws Exception {
        // 1. bootstrap: a new UI in a new session; the view is not attached yet
        String query = "v-r=init&location=" + enc(route) + "&query=&v-sw=1920&v-sh=1080&v-ww=1200&v-wh=800"
                + "&v-bw=1200&v-bh=800&v-tzo=0&v-rtzo=0&v-dstd=0&v-dston=false&v-tzid=UTC&v-curdate="
                + System.currentTimeMillis() + "&v-td=false&v-pr=1&v-wn=" + UUID.randomUUID() + "&v-np=Linux%20x86_64"
                + "&v-pv=visible&v-ws=false";
        HttpResponse<String> init = bootstrap(query);
        cookie = init.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no JSESSIONID cookie in the bootstrap response"));
        JsonNode appConfig = JSON.readTree(init.body()).get("appConfig");
        uiId = appConfig.get("v-uiId").asInt();
        JsonNode uidl = appConfig.get("uidl");
        csrfToken = uidl.get("Vaadin-Security-Key").asString();
        String pushId = uidl.get("Vaadin-Push-ID").asString();
        reader.start(uidl.get("syncId").asLong(), uidl.get("clientId").asLong());

        // 2. navigate: the route's view attaches (and subscribes); find the message field and Send by their tags
        String navigate = "{\"csrfToken\":\"" + csrfToken + "\",\"rpc\":[{\"type\":\"event\",\"node\":1,\"event\":"
                + "\"ui-navigate\",\"data\":{\"route\":\"" + route + "\",\"query\":\"\",\"appShellTitle\":\"\","
                + "\"historyState\":{\"idx\":0},\"trigger\":\"\"}}],\"syncId\":" + reader.syncId() + ",\"clientId\":"
                + reader.clientId() + "}";
        HttpResponse<String> navigated = http.send(uidlRequest(navigate), HttpResponse.BodyHandlers.ofString());
        require(navigated, "navigation");
        JsonNode response = JSON.readTree(UidlReader.stripPrefix(navigated.body()));
        controls = UidlReader.controls(response.get("changes"), route);
        reader.track(navigated.body());

        // 3. push: Atmosphere over a WebSocket or long polling, with the session cookie; wait for its handshake
        pushUrl = base.resolve("VAADIN/push") + "?v-r=push&v-uiId=" + uiId + "&v-pushId=" + pushId
                + "&X-Atmosphere-Framework=4.0.1&X-Atmosphere-TrackMessageSize=true&X-atmo-protocol=true";
        if (channel == Channel.WEBSOCKET) {
            String push = pushUrl.replaceFirst("^http", "ws") + "&X-Vaadin-LastSeenServerSyncId=" + reader.syncId()
                    + "&X-Atmosphere-tracking-id=0"
                    + "&X-Atmosphere-Transport=websocket&Content-Type=application/json;%20charset=UTF-8";
            socket = http.newWebSocketBuilder().header("Cookie", cookie).connectTimeout(timeout)
                    .buildAsync(URI.create(push), new PushListener()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } else if (channel == Channel.WEBSOCKET_DEFLATE) {
            String push = pushUrl.replaceFirst("^http", "ws") + "&X-Vaadin-LastSeenServerSyncId=" + reader.syncId()
                    + "&X-Atmosphere-tracking-id=0&X-Atmosphere-Transport=websocket"
                    + "&Content-Type=application/json;%20charset=UTF-8";
            deflateSocket = deflateSockets.open(URI.create(push), cookie, frames::accept,
                    handshake::completeExceptionally).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            pollNext("0");
        }
        handshake.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * One long poll: a GET the server holds until it has something to push (or its own timeout), then the next,
     * with the tracking id Atmosphere gave in its handshake, so what it cached meanwhile comes with it, and the last
     * UIDL message seen, as atmosphere.js asks Vaadin's client for it on every request (an older one makes Vaadin
     * send again what came after it).
     */
    private void pollNext(String trackingId) {
        if (closed) {
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(pushUrl + "&X-Atmosphere-tracking-id=" + trackingId
                        + "&X-Atmosphere-Transport=long-polling&Content-Type=application%2Fjson%3B%20charset%3DUTF-8"
                        + "&X-Vaadin-LastSeenServerSyncId=" + sequence.handled()))
                .header("Cookie", cookie).header("X-Atmosphere-Transport", "long-polling")
                .header("X-Atmosphere-tracking-id", trackingId).GET().build();
        polls.incrementAndGet();
        poll = http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            lastPollStatus = failure != null ? failure.toString() : "HTTP " + response.statusCode() + ", "
                    + response.body().length() + " chars";
            if (closed) {
                return;
            }
            if (failure != null || response.statusCode() != 200) {
                if (!handshake.isDone()) {
                    handshake.completeExceptionally(failure != null ? failure
                            : new IllegalStateException("long polling answered HTTP " + response.statusCode()));
                    return;
                }
                // as atmosphere.js does: try again after a pause (a lost poll's pushes wait in Atmosphere's cache)
                var unused = CompletableFuture.runAsync(() -> pollNext(trackingId),
                        CompletableFuture.delayedExecutor(1, TimeUnit.SECONDS));
                return;
            }
            String next = response.headers().firstValue("X-Atmosphere-tracking-id").orElse(trackingId);
            frames.accept(response.body());
            String given = handshakeTrackingId;
            pollNext(given != null ? given : next);
        });
    }

    /** Whether this client can send now (a browser keeps one request in flight per page). */
    public boolean idle() {
        return !requestInFlight.get();
    }

    /**
     * Types {@code text} into the message field and clicks Send, as one UIDL request. Returns at once; the response
     * (the sender's own update among it) is handled when it comes.
     *
     * @return false if a request of this client is still in flight
     */
    public boolean send(String text) {
        if (!requestInFlight.compareAndSet(false, true)) {
            return false;
        }
        String body = "{\"csrfToken\":\"" + csrfToken + "\",\"rpc\":[{\"type\":\"mSync\",\"node\":" + controls.messageField()
                + ",\"feature\":1,\"property\":\"value\",\"value\":\"" + text + "\"},{\"type\":\"event\",\"node\":"
                + controls.messageField() + ",\"event\":\"change\",\"data\":{}},{\"type\":\"event\",\"node\":" + controls.sendButton()
                + ",\"event\":\"click\",\"data\":{}}],\"syncId\":" + reader.syncId() + ",\"clientId\":" + reader.clientId() + "}";
        var unused = http.sendAsync(uidlRequest(body), HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            try {
                if (failure == null && response.statusCode() == 200) {
                    reader.track(response.body());
                }
            } finally {
                requestInFlight.set(false);
            }
        });
        return true;
    }

    /** The WebSocket extensions the server accepted (permessage-deflate when it compresses); empty for the others. */
    public java.util.List<String> extensions() {
        DeflateSockets.Socket deflating = deflateSocket;
        return deflating == null ? java.util.List.of() : deflating.extensions();
    }

    /** What a person debugging a run wants to know of this client: its number, channel and long polls. */
    public String describe() {
        String polling = channel != Channel.LONG_POLLING ? ""
                : ", " + polls.get() + " polls, the last " + (poll.isDone() ? "answered " + lastPollStatus : "waiting");
        return "client " + index + " (" + channel + polling + ", " + pushesSeen.get() + " pushes, " + resyncs.get()
                + " resynchronizations, tracking id " + handshakeTrackingId + ")";
    }

    /** How many times this client had to ask for the whole page again because an update never came. */
    public long resynchronizations() {
        return resyncs.get();
    }

    /**
     * Asks for the whole page again, as Vaadin's client does when an update it waited for never came: the answer
     * holds every message the page shows.
     */
    private void resynchronize() {
        resyncs.incrementAndGet();
        String body = "{\"csrfToken\":\"" + csrfToken + "\",\"rpc\":[],\"syncId\":" + sequence.handled()
                + ",\"clientId\":" + reader.clientId() + ",\"resynchronize\":true}";
        var unused = http.sendAsync(uidlRequest(body), HttpResponse.BodyHandlers.ofString())
                .whenComplete((response, failure) -> {
                    if (failure == null && response.statusCode() == 200) {
                        reader.track(response.body());
                    }
                });
    }

    /** This client's number. */
    public int index() {
        return index;
    }

    /**
     * What no browser sends but anyone can: one UIDL request that types into the message field and clicks Send
     * {@code times} times ({@code text} plus the number). Waits for the response.
     *
     * @return the response's HTTP status
     */
    public int flood(String text, int times) throws Exception {
        StringBuilder rpc = new StringBuilder();
        for (int i = 0; i < times; i++) {
            rpc.append(i == 0 ? "" : ",").append("{\"type\":\"mSync\",\"node\":").append(controls.messageField())
                    .append(",\"feature\":1,\"property\":\"value\",\"value\":\"").append(text).append(i)
                    .append("\"},{\"type\":\"event\",\"node\":").append(controls.messageField())
                    .append(",\"event\":\"change\",\"data\":{}},{\"type\":\"event\",\"node\":").append(controls.sendButton())
                    .append(",\"event\":\"click\",\"data\":{}}");
        }
        String body = "{\"csrfToken\":\"" + csrfToken + "\",\"rpc\":[" + rpc + "],\"syncId\":" + reader.syncId()
                + ",\"clientId\":" + reader.clientId() + "}";
        HttpResponse<String> response = http.send(uidlRequest(body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
            reader.track(response.body());
        }
        return response.statusCode();
    }

    /**
     * What no browser sends but anyone can: one UIDL request that navigates to each of {@code routes} in turn, as
     * fast as the server takes them. Waits for the response.
     *
     * @return the response's HTTP status
     */
    public int navigateAll(java.util.List<String> routes) throws Exception {
        StringBuilder rpc = new StringBuilder();
        for (int i = 0; i < routes.size(); i++) {
            rpc.append(i == 0 ? "" : ",").append("{\"type\":\"event\",\"node\":1,\"event\":\"ui-navigate\",")
                    .append("\"data\":{\"route\":\"").append(routes.get(i)).append("\",\"query\":\"\",")
                    .append("\"appShellTitle\":\"\",\"historyState\":{\"idx\":").append(i + 1)
                    .append("},\"trigger\":\"\"}}");
        }
        String body = "{\"csrfToken\":\"" + csrfToken + "\",\"rpc\":[" + rpc + "],\"syncId\":" + reader.syncId()
                + ",\"clientId\":" + reader.clientId() + "}";
        HttpResponse<String> response = http.send(uidlRequest(body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
            reader.track(response.body());
        }
        return response.statusCode();
    }

    /** Closes the page as a browser does when the tab goes away (the beacon Vaadin sends on unload). */
    public CompletableFuture<?> close() {
        String body = "{\"csrfToken\":\"" + csrfToken + "\",\"rpc\":[],\"syncId\":" + reader.syncId() + ",\"clientId\":"
                + reader.clientId() + ",\"UNLOAD\":true}";
        return http.sendAsync(uidlRequest(body), HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    closed = true;
                    if (socket != null) {
                        socket.abort();
                    }
                    DeflateSockets.Socket deflating = deflateSocket;
                    if (deflating != null) {
                        deflating.abort();
                    }
                    poll.cancel(true);
                    return null;
                });
    }

    private HttpRequest uidlRequest(String body) {
        return HttpRequest.newBuilder(base.resolve("?v-r=uidl&v-uiId=" + uiId)).timeout(timeout)
                .header("Content-Type", "application/json; charset=UTF-8").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Hands what arrives over the WebSocket to the frame reader. */
    private final class PushListener implements WebSocket.Listener {

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            frames.accept(data);
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            handshake.completeExceptionally(error);
        }
    }

    /**
     * One message out of Atmosphere's frames: the first is Atmosphere's handshake, whose payload starts with the
     * tracking id; a UIDL message after it is a push. Called by one thread at a time.
     */
    private void onPayload(String payload) {
        if (!handshake.isDone()) {
            int end = payload.indexOf('|'); // the first message: Atmosphere's handshake
            handshakeTrackingId = end > 0 ? payload.substring(0, end) : null;
            handshake.complete(null);
        } else if (payload.startsWith("{") || payload.startsWith("for(;;);")) {
            receipts.pushed(index);
            pushesSeen.incrementAndGet();
            reader.track(payload);
        }
    }

    /**
     * Asks for a new UI. In development mode a server whose dev bundle is still being prepared answers every page
     * request with its "preparing your application" page and the header {@code X-DevModePending} (as it does for a
     * browser, which polls until it is ready): ask again until it is ready or the timeout has passed.
     */
    private HttpResponse<String> bootstrap(String query) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            HttpResponse<String> init = http.send(
                    HttpRequest.newBuilder(base.resolve("?" + query)).timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofString());
            require(init, "bootstrap");
            if (init.headers().firstValue("X-DevModePending").isEmpty()) {
                return init;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the server was still preparing its dev bundle after " + timeout);
            }
            Thread.sleep(200);
        }
    }

    private static void require(HttpResponse<String> response, String what) {
        if (response.statusCode() != 200) {
            throw new IllegalStateException(what + " failed with HTTP " + response.statusCode() + ": "
                    + response.body().substring(0, Math.min(300, response.body().length())));
        }
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
