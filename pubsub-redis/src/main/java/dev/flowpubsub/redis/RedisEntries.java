package dev.flowpubsub.redis;

import dev.flowpubsub.spi.TransportEnvelope;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * The format of what a node writes to Redis. A stream entry has the fields {@code v} (the format version),
 * {@code o} (origin: the sending node's instance), {@code s} (its sequence number), {@code m} (when the origin sent
 * it, epoch milliseconds on its clock; absent in entries of the first release, and read only to measure lateness),
 * {@code t} (topic, absent for a broadcast) and {@code p} (payload). Entries without {@code v}, as the first release
 * wrote them, are version 1. A node reads the versions it knows and skips (and counts) the others, so old and new
 * nodes can run side by side during a rolling upgrade. A topic's history list holds
 * {@code id \n origin \n sequence \n payload} per message.
 */
final class RedisEntries {

    /** The format this release writes and reads. */
    static final int FORMAT_VERSION = 1;

    static final byte[] VERSION = bytes("v");
    static final byte[] ORIGIN = bytes("o");
    static final byte[] SEQUENCE = bytes("s");
    static final byte[] SENT_AT = bytes("m");
    static final byte[] TOPIC = bytes("t");
    static final byte[] PAYLOAD = bytes("p");

    private static final Pattern STREAM_ID = Pattern.compile("\\d{1,19}-\\d{1,19}");

    private RedisEntries() {
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether {@code id} is a stream id ({@code millis-sequence}) that {@link #compareIds} can order. */
    static boolean isStreamId(String id) {
        return STREAM_ID.matcher(id).matches();
    }

    /** Orders stream ids as Redis does; both must pass {@link #isStreamId}. */
    static int compareIds(String a, String b) {
        int dashA = a.indexOf('-');
        int dashB = b.indexOf('-');
        int byMillis = Long.compareUnsigned(Long.parseUnsignedLong(a.substring(0, dashA)),
                Long.parseUnsignedLong(b.substring(0, dashB)));
        return byMillis != 0 ? byMillis : Long.compareUnsigned(Long.parseUnsignedLong(a.substring(dashA + 1)),
                Long.parseUnsignedLong(b.substring(dashB + 1)));
    }

    /** One element of a history list, as the append script writes it; {@code null} where malformed. */
    record HistoryEntry(String id, TransportEnvelope envelope) {

        static @Nullable HistoryEntry parse(byte[] raw, String topic) {
            int first = indexOf(raw, 0);
            int second = first < 0 ? -1 : indexOf(raw, first + 1);
            int third = second < 0 ? -1 : indexOf(raw, second + 1);
            if (third < 0) {
                return null;
            }
            String id = new String(raw, 0, first, StandardCharsets.US_ASCII);
            if (!isStreamId(id)) {
                return null;
            }
            try {
                long sequence = Long.parseLong(new String(raw, second + 1, third - second - 1, StandardCharsets.US_ASCII));
                return new HistoryEntry(id, new TransportEnvelope(new String(raw, first + 1, second - first - 1,
                        StandardCharsets.UTF_8), sequence, topic, Arrays.copyOfRange(raw, third + 1, raw.length)));
            } catch (IllegalArgumentException malformed) { // NumberFormatException included
                return null;
            }
        }

        private static int indexOf(byte[] raw, int from) {
            for (int i = from; i < raw.length; i++) {
                if (raw[i] == '\n') {
                    return i;
                }
            }
            return -1;
        }
    }
}
