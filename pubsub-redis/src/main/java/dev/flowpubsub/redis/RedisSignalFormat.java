package dev.flowpubsub.redis;

import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;
import io.lettuce.core.KeyValue;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static dev.flowpubsub.redis.RedisEntries.bytes;

/**
 * How the {@link RedisSignalLog} keeps signal data in Redis, and reads it back. An entry is a stream entry with the id
 * {@code 0-<position>} and the fields {@code name}, {@code origin}, {@code seq}, {@code format}, {@code writer} and
 * {@code payload}; a snapshot is a hash with {@code position}, {@code format}, {@code writer} and {@code payload}.
 * Text is UTF-8, numbers are decimal, payloads are the hub's bytes, untouched. Nothing read is turned into anything
 * but strings, numbers and byte arrays: the hub decodes payloads.
 *
 * <p>A stream entry that is not one of ours (a field missing or not a number) is skipped and logged: the reader then
 * sees a gap and re-synchronizes from snapshots, which is all it can do. A malformed snapshot fails the call.
 *
 * <p>Threading: stateless; any thread.
 */
final class RedisSignalFormat {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSignalFormat.class);

    static final byte[] NAME = bytes("name");
    static final byte[] ORIGIN = bytes("origin");
    static final byte[] SEQ = bytes("seq");
    static final byte[] FORMAT = bytes("format");
    static final byte[] WRITER = bytes("writer");
    static final byte[] PAYLOAD = bytes("payload");
    static final byte[] POSITION = bytes("position");

    /** What an append answered: the epoch, and the position of its last entry. */
    record Appended(String epoch, long last) {
    }

    /** What a snapshot put or a trim answered: {@code 1} done, {@code 0} nothing to do, {@code -1} another epoch. */
    record Outcome(long status, String epoch) {

        boolean epochChanged() {
            return status < 0;
        }
    }

    private RedisSignalFormat() {
    }

    /** The script arguments for an append: the epoch to set if none, then six per entry. */
    static byte[][] appendArgs(String newEpoch, String expectedEpoch, List<SignalEntry> entries) {
        byte[][] args = new byte[2 + 6 * entries.size()][];
        args[0] = bytes(newEpoch);
        args[1] = bytes(expectedEpoch);
        int i = 2;
        for (SignalEntry entry : entries) {
            args[i++] = bytes(entry.name());
            args[i++] = bytes(entry.originNode());
            args[i++] = number(entry.sequence());
            args[i++] = number(entry.format());
            args[i++] = bytes(entry.writer());
            args[i++] = entry.payload();
        }
        return args;
    }

    /** The snapshot script's arguments after the two epochs. */
    static byte[][] snapshotArgs(String readEpoch, String newEpoch, SignalSnapshot snapshot) {
        return new byte[][] {bytes(readEpoch), bytes(newEpoch), number(snapshot.position()), number(snapshot.format()),
                bytes(snapshot.writer()), snapshot.payload()};
    }

    static byte[] number(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    /** The append script's reply: the position of the last entry, or -1 when the log was at another epoch. */
    static Appended appended(List<Object> reply) {
        String last = text(element(reply, 1));
        return new Appended(text(element(reply, 0)), last.isEmpty() ? -1 : position(last));
    }

    static Outcome outcome(List<Object> reply) {
        return new Outcome(integer(element(reply, 0)), text(element(reply, 1)));
    }

    /** The read script's reply; {@code key} names the stream in logs. */
    static SignalRead read(List<Object> reply, String key) {
        List<SignalEntry> entries = new ArrayList<>(Math.max(0, reply.size() - 3));
        for (Object raw : reply.subList(Math.min(3, reply.size()), reply.size())) {
            SignalEntry entry = entry(raw);
            if (entry == null) {
                LOG.warn("flow-pubsub: skipped the entry {} of the stream '{}': not a signal entry", idOf(raw), key);
            } else {
                entries.add(entry);
            }
        }
        return new SignalRead(text(element(reply, 0)), integer(element(reply, 1)), integer(element(reply, 2)),
                entries);
    }

    private static String idOf(@Nullable Object raw) {
        return raw instanceof List<?> pair && !pair.isEmpty() && pair.get(0) instanceof byte[] id
                && id.length <= 41 ? ascii(id) : describe(raw);
    }

    /** A stream entry as XRANGE gives it, {@code {id, {field, value, ...}}}; {@code null} if not a signal entry. */
    private static @Nullable SignalEntry entry(@Nullable Object raw) {
        if (!(raw instanceof List<?> pair) || pair.size() != 2 || !(pair.get(0) instanceof byte[] id)
                || !(pair.get(1) instanceof List<?> fields)) {
            return null;
        }
        byte[] name = null;
        byte[] origin = null;
        byte[] seq = null;
        byte[] format = null;
        byte[] writer = null;
        byte[] payload = null;
        for (int i = 0; i + 1 < fields.size(); i += 2) {
            if (fields.get(i) instanceof byte[] field && fields.get(i + 1) instanceof byte[] value) {
                if (Arrays.equals(field, NAME)) {
                    name = value;
                } else if (Arrays.equals(field, ORIGIN)) {
                    origin = value;
                } else if (Arrays.equals(field, SEQ)) {
                    seq = value;
                } else if (Arrays.equals(field, FORMAT)) {
                    format = value;
                } else if (Arrays.equals(field, WRITER)) {
                    writer = value;
                } else if (Arrays.equals(field, PAYLOAD)) {
                    payload = value;
                }
            }
        }
        if (name == null || origin == null || seq == null || format == null || writer == null || payload == null) {
            return null;
        }
        try {
            return new SignalEntry(position(ascii(id)), utf8(name), utf8(origin), Long.parseLong(ascii(seq)),
                    Integer.parseInt(ascii(format)), utf8(writer), payload);
        } catch (IllegalArgumentException malformed) { // NumberFormatException included
            return null;
        }
    }

    /** The snapshot hash's {@code position, format, writer, payload}, as HMGET gives them; empty if there is none. */
    static Optional<SignalSnapshot> snapshot(String name, List<KeyValue<byte[], byte[]>> values, String key) {
        if (values.size() != 4 || values.stream().noneMatch(KeyValue::hasValue)) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SignalSnapshot(name, Long.parseLong(ascii(values.get(0).getValue())),
                    Integer.parseInt(ascii(values.get(1).getValue())), utf8(values.get(2).getValue()),
                    values.get(3).getValue()));
        } catch (RuntimeException malformed) { // a field missing (NoSuchElementException) or not a number
            throw new IllegalStateException("the signal snapshot in Redis key '" + key + "' is malformed ("
                    + malformed + "): delete the key, and a node writes it again at its next snapshot");
        }
    }

    /** The position of a stream id {@code 0-<position>}. */
    static long position(String id) {
        if (!id.startsWith("0-")) {
            throw new IllegalArgumentException("not a signal entry id: " + id);
        }
        return Long.parseLong(id.substring(2));
    }

    private static @Nullable Object element(List<Object> reply, int index) {
        return index < reply.size() ? reply.get(index) : null;
    }

    private static String text(@Nullable Object value) {
        if (value instanceof byte[] raw) {
            return utf8(raw);
        }
        throw new IllegalStateException("unexpected reply from Redis: " + describe(value) + " where text was due");
    }

    private static long integer(@Nullable Object value) {
        if (value instanceof Long number) {
            return number;
        }
        throw new IllegalStateException("unexpected reply from Redis: " + describe(value) + " where a number was due");
    }

    private static String describe(@Nullable Object value) {
        if (value instanceof byte[] raw) {
            return raw.length + " bytes";
        }
        if (value instanceof List<?> list) {
            return "a list of " + list.size();
        }
        return String.valueOf(value);
    }

    private static String utf8(byte[] raw) {
        return new String(raw, StandardCharsets.UTF_8);
    }

    private static String ascii(byte[] raw) {
        return new String(raw, StandardCharsets.US_ASCII);
    }
}
