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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One browser tab on the chat, without a browser: it speaks as much of Vaadin 25's client protocol as a chat user
 * needs (bootstrap, navigation, typing and clicking Send as UIDL requests, receiving pushed UI updates over
 * Atmosphere's WebSocket), as captured from Chromium and described in STACK.md. Each client has its own cookie, so
 * its own Vaadin session. Every message text carries a marker ({@code qz<seq>zq}); the client reports each marker
 * it sees in a pushed update or in a response, once.
 *
 * <p>Threading: the WebSocket's callbacks come one at a time; responses arrive on the HTTP client's executor. One
 * UIDL request is in flight per client at a time, as in a browser.
 */
public final class PushClient {

    /** Told about every message marker a client sees the first time. */
    public interface Receipts {
        void received(int client, long seq, long nanos);

        /** A pushed UI update (one UIDL message over the WebSocket) reached a client. */
        void pushed(int client);
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SYNC_ID = Pattern.compile("\"syncId\":(\\d+)");
    private static final Pattern CLIENT_ID = Pattern.compile("\"clientId\":(\\d+)");

    private final int index;
    private final HttpClient http;
    private final URI base;
    private final String route;
    private final Receipts receipts;
    private final Duration timeout;

    private String cookie;
    private int uiId;
    private String csrfToken;
    private int messageField;
    private int sendButton;
    private final AtomicLong syncId = new AtomicLong();
    private final AtomicLong clientId = new AtomicLong();
    private final AtomicBoolean requestInFlight = new AtomicBoolean();
    private final java.util.BitSet seen = new java.util.BitSet();
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
        this.index = index;
        this.http = http;
        this.base = base;
        this.route = route;
        this.receipts = receipts;
        this.timeout = timeout;
    }

    /** Bootstraps the page, navigates to the route (the view attaches and subscribes) and opens the push channel. */
    public void open() throws Exception {
        // 1. bootstrap: a new UI in a new session; the view is not attached yet
        String query = "v-r=init&location=" + enc(route) + "&query=&v-sw=1920&v-sh=1080&v-ww=1200&v-wh=800"
                + "&v-bw=1200&v-bh=800&v-tzo=0&v-rtzo=0&v-dstd=0&v-dston=false&v-tzid=UTC&v-curdate="
                + System.currentTimeMillis() + "&v-td=false&v-pr=1&v-wn=" + UUID.randomUUID() + "&v-np=Linux%20x86_64"
                + "&v-pv=visible&v-ws=false";
        HttpResponse<String> init = http.send(HttpRequest.newBuilder(base.resolve("?" + query)).timeout(timeout).build(),
                HttpResponse.BodyHandlers.ofString());
        require(init, "bootstrap");
        cookie = init.headers().allValues("set-cookie").stream().filter(c -> c.startsWith("JSESSIONID="))
                .map(c -> c.substring(0, c.indexOf(';') < 0 ? c.length() : c.indexOf(';'))).findFirst()
                .orElseThrow(() -> new IllegalStateException("no JSESSIONID cookie in the bootstrap response"));
        JsonNode appConfig = JSON.readTree(init.body()).get("appConfig");
        uiId = appConfig.get("v-uiId").asInt();
        JsonNode uidl = appConfig.get("uidl");
        csrfToken = uidl.get("Vaadin-Security-Key").asString();
        String pushId = uidl.get("Vaadin-Push-ID").asString();
        syncId.set(uidl.get("syncId").asLong());
        clientId.set(uidl.get("clientId").asLong());

        // 2. navigate: the route's view attaches (and subscribes); find the message field and Send by their tags
        String navigate = "{\"csrfToken\":\"" + csrfToken + "\",\"rpc\":[{\"type\":\"event\",\"node\":1,\"event\":"
                + "\"ui-navigate\",\"data\":{\"route\":\"" + route + "\",\"query\":\"\",\"appShellTitle\":\"\","
                + "\"historyState\":{\"idx\":0},\"trigger\":\"\"}}],\"syncId\":" + syncId.get() + ",\"clientId\":"
                + clientId.get() + "}";
        HttpResponse<String> navigated = http.send(uidlRequest(navigate), HttpResponse.BodyHandlers.ofString());
        require(navigated, "navigation");
        JsonNode response = JSON.readTree(stripUidlPrefix(navigated.body()));
        findComponents(response.get("changes"));
        track(navigated.body());

        // 3. push: Atmosphere over a WebSocket, with the session cookie; wait for its handshake
        String push = base.resolve("VAADIN/push").toString().replaceFirst("^http", "ws") + "?v-r=push&v-uiId=" + uiId
                + "&v-pushId=" + pushId + "&X-Atmosphere-tracking-id=0&X-Atmosphere-Framework=4.0.1"
                + "&X-Atmosphere-Transport=websocket&X-Atmosphere-TrackMessageSize=true"
                + "&Content-Type=application/json;%20charset=UTF-8&X-atmo-protocol=true&X-Vaadin-LastSeenServerSyncId="
                + syncId.get();
        socket = http.newWebSocketBuilder().header("Cookie", cookie).connectTimeout(timeout)
                .buildAsync(URI.create(push), new PushListener()).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        handshake.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void findComponents(JsonNode changes) {
        java.util.Map<Integer, String> tags = new java.util.HashMap<>();
        java.util.Map<Integer, String> placeholders = new java.util.HashMap<>();
        for (JsonNode change : changes) {
            if (!"put".equals(change.path("type").asString(""))) {
                continue;
            }
            String key = change.path("key").asString("");
            if (key.equals("tag")) {
                tags.put(change.get("node").asInt(), change.path("value").asString(""));
            } else if (key.equals("placeholder")) {
                placeholders.put(change.get("node").asInt(), change.path("value").asString(""));
            }
        }
        messageField = placeholders.entrySet().stream().filter(e -> e.getValue().equals("Your message..."))
                .mapToInt(java.util.Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("no message field on route '" + route + "'"));
        sendButton = tags.entrySet().stream().filter(e -> e.getValue().equals("vaadin-button"))
                .mapToInt(java.util.Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Send button on route '" + route + "'"));
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
        String body = "{\"csrfToken\":\"" + csrfToken + "\",\"rpc\":[{\"type\":\"mSync\",\"node\":" + messageField
                + ",\"feature\":1,\"property\":\"value\",\"value\":\"" + text + "\"},{\"type\":\"event\",\"node\":"
                + messageField + ",\"event\":\"change\",\"data\":{}},{\"type\":\"event\",\"node\":" + sendButton
                + ",\"event\":\"click\",\"data\":{}}],\"syncId\":" + syncId.get() + ",\"clientId\":" + clientId.get() + "}";
        var unused = http.sendAsync(uidlRequest(body), HttpResponse.BodyHandlers.ofString()).whenComplete((response, failure) -> {
            try {
                if (failure == null && response.statusCode() == 200) {
                    track(response.body());
                }
            } finally {
                requestInFlight.set(false);
            }
        });
        return true;
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
            rpc.append(i == 0 ? "" : ",").append("{\"type\":\"mSync\",\"node\":").append(messageField)
                    .append(",\"feature\":1,\"property\":\"value\",\"value\":\"").append(text).append(i)
                    .append("\"},{\"type\":\"event\",\"node\":").append(messageField)
                    .append(",\"event\":\"change\",\"data\":{}},{\"type\":\"event\",\"node\":").append(sendButton)
                    .append(",\"event\":\"click\",\"data\":{}}");
        }
        String body = "{\"csrfToken\":\"" + csrfToken + "\",\"rpc\":[" + rpc + "],\"syncId\":" + syncId.get()
                + ",\"clientId\":" + clientId.get() + "}";
        HttpResponse<String> response = http.send(uidlRequest(body), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
            track(response.body());
        }
        return response.statusCode();
    }

    /** Closes the page as a browser does when the tab goes away (the beacon Vaadin sends on unload). */
    public CompletableFuture<?> close() {
        String body = "{\"csrfToken\":\"" + csrfToken + "\",\"rpc\":[],\"syncId\":" + syncId.get() + ",\"clientId\":"
                + clientId.get() + ",\"UNLOAD\":true}";
        return http.sendAsync(uidlRequest(body), HttpResponse.BodyHandlers.discarding())
                .handle((response, failure) -> {
                    if (socket != null) {
                        socket.abort();
                    }
                    return null;
                });
    }

    private HttpRequest uidlRequest(String body) {
        return HttpRequest.newBuilder(base.resolve("?v-r=uidl&v-uiId=" + uiId)).timeout(timeout)
                .header("Content-Type", "application/json; charset=UTF-8").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** Reads what a UIDL message tells this client: the ids to answer with next, and the message markers it shows. */
    private void track(String uidl) {
        Matcher sync = SYNC_ID.matcher(uidl);
        if (sync.find()) {
            long value = Long.parseLong(sync.group(1));
            syncId.accumulateAndGet(value, Math::max);
        }
        Matcher client = CLIENT_ID.matcher(uidl);
        if (client.find()) {
            clientId.accumulateAndGet(Long.parseLong(client.group(1)), Math::max);
        }
        long now = System.nanoTime();
        int at = 0;
        while ((at = uidl.indexOf("qz", at)) >= 0) {
            int end = uidl.indexOf("zq", at + 2);
            if (end < 0) {
                break;
            }
            long seq = parseDigits(uidl, at + 2, end);
            at = end + 2;
            if (seq >= 0) {
                boolean first;
                synchronized (seen) {
                    first = !seen.get((int) seq);
                    seen.set((int) seq);
                }
                if (first) {
                    receipts.received(index, seq, now);
                }
            }
        }
    }

    private static long parseDigits(String s, int from, int to) {
        if (to <= from || to - from > 12) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /** Atmosphere frames each message as {@code LENGTH|payload} (length in UTF-16 units); one may span frames. */
    private final class PushListener implements WebSocket.Listener {
        private final StringBuilder buffer = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            buffer.append(data);
            for (;;) {
                int bar = buffer.indexOf("|");
                if (bar < 0) {
                    break;
                }
                int length;
                try {
                    length = Integer.parseInt(buffer, 0, bar, 10);
                } catch (NumberFormatException e) {
                    buffer.setLength(0); // not Atmosphere's framing; drop what we cannot read
                    break;
                }
                if (buffer.length() < bar + 1 + length) {
                    break;
                }
                String payload = buffer.substring(bar + 1, bar + 1 + length);
                buffer.delete(0, bar + 1 + length);
                if (!handshake.isDone()) {
                    handshake.complete(null); // the first message: Atmosphere's handshake
                } else if (payload.startsWith("{") || payload.startsWith("for(;;);")) {
                    receipts.pushed(index);
                    track(payload);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            handshake.completeExceptionally(error);
        }
    }

    private static String stripUidlPrefix(String body) {
        String trimmed = body.startsWith("for(;;);") ? body.substring(8) : body;
        return trimmed.startsWith("[") ? trimmed.substring(1, trimmed.lastIndexOf(']')) : trimmed;
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
