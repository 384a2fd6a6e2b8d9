package dev.flowpubsub.testsupport;

import tools.jackson.databind.JsonNode;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one {@link PushClient} reads in the server's UIDL messages: the sync and client ids to answer with next (their
 * order kept by a {@link UidlSequence}), the message markers ({@code qz<seq>zq}) the page shows, each reported once,
 * and where a view's message field and Send button are.
 *
 * <p>Threading: any thread; {@link #track} may run on the WebSocket's and the HTTP client's threads at once.
 */
final class UidlReader {

    /** The state-tree node ids of the chat view's message field and Send button. */
    record Controls(int messageField, int sendButton) {
    }

    private static final Pattern SYNC_ID = Pattern.compile("\"syncId\":(\\d+)");
    private static final Pattern CLIENT_ID = Pattern.compile("\"clientId\":(\\d+)");

    private final int client;
    private final PushClient.Receipts receipts;
    private final UidlSequence sequence;
    private final AtomicLong syncId = new AtomicLong();
    private final AtomicLong clientId = new AtomicLong();
    private final BitSet seen = new BitSet();

    UidlReader(int client, PushClient.Receipts receipts, UidlSequence sequence) {
        this.client = client;
        this.receipts = receipts;
        this.sequence = sequence;
    }

    /** The ids the bootstrap response gave. */
    void start(long firstSyncId, long firstClientId) {
        syncId.set(firstSyncId);
        sequence.resynchronized(firstSyncId);
        clientId.set(firstClientId);
    }

    /** The newest sync id seen: what the next request says it has seen. */
    long syncId() {
        return syncId.get();
    }

    /** The newest client id the server expects. */
    long clientId() {
        return clientId.get();
    }

    /**
     * Reads what a UIDL message tells the client: the ids to answer with next, and the message markers it shows.
     * Markers count when seen, even in a message that came before an earlier one (Vaadin's client would wait for the
     * earlier one); a message that never comes is recovered as Vaadin's client does, see {@link UidlSequence}.
     */
    void track(String uidl) {
        Matcher sync = SYNC_ID.matcher(uidl);
        if (sync.find()) {
            long value = Long.parseLong(sync.group(1));
            syncId.accumulateAndGet(value, Math::max);
            if (uidl.contains("\"resynchronize\":true")) {
                sequence.resynchronized(value);
            } else {
                sequence.seen(value);
            }
        }
        Matcher ids = CLIENT_ID.matcher(uidl);
        if (ids.find()) {
            clientId.accumulateAndGet(Long.parseLong(ids.group(1)), Math::max);
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
            if (seq >= 0 && firstSight((int) seq)) {
                receipts.received(client, seq, now);
            }
        }
    }

    private boolean firstSight(int seq) {
        synchronized (seen) {
            boolean first = !seen.get(seq);
            seen.set(seq);
            return first;
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

    /** A UIDL response's JSON, without Vaadin's {@code for(;;);} guard and the array around it. */
    static String stripPrefix(String body) {
        String trimmed = body.startsWith("for(;;);") ? body.substring(8) : body;
        return trimmed.startsWith("[") ? trimmed.substring(1, trimmed.lastIndexOf(']')) : trimmed;
    }

    /** Finds the chat view's message field (by its placeholder) and Send button (by its tag) in a navigation's changes. */
    static Controls controls(JsonNode changes, String route) {
        Map<Integer, String> tags = new HashMap<>();
        Map<Integer, String> placeholders = new HashMap<>();
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
        int field = placeholders.entrySet().stream().filter(e -> e.getValue().equals("Your message..."))
                .mapToInt(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("no message field on route '" + route + "'"));
        int send = tags.entrySet().stream().filter(e -> e.getValue().equals("vaadin-button"))
                .mapToInt(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("no Send button on route '" + route + "'"));
        return new Controls(field, send);
    }
}
