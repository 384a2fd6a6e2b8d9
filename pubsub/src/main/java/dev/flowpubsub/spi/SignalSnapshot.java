package dev.flowpubsub.spi;

import java.util.Objects;

/**
 * The confirmed state of one named signal tree at a log position, so a node that loads the name, or that fell
 * behind the log's {@linkplain SignalRead#trimmed() trim watermark}, starts from it instead of from the first entry.
 *
 * @param name     the signal's name
 * @param position the log position the state includes every entry up to
 * @param format   the version of the payload's format
 * @param writer   the flow-server version that wrote it
 * @param payload  the state as the hub encodes it; not copied, do not modify
 */
@SuppressWarnings("ArrayRecordComponent") // handed on, not compared
public record SignalSnapshot(String name, long position, int format, String writer, byte[] payload) {

    /** Checks the components. */
    public SignalSnapshot {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(writer, "writer must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative (got " + position + ")");
        }
    }

    @Override
    public String toString() {
        return "SignalSnapshot['" + name + "' at " + position + ", format " + format + ", " + payload.length
                + " bytes]";
    }
}
