package dev.flowpubsub.spi;

import java.util.Objects;

/**
 * One entry of a {@link SignalLog}: the commands of one {@code submit} of a shared signal tree, whole, so a
 * transaction stays one entry.
 *
 * @param position   its place in the log, from 1, one more than the entry before it; 0 before it is appended
 * @param name       the signal's name: every node applies it to its tree of that name
 * @param originNode the instance id of the node that wrote it ({@link TransportContext#nodeId()})
 * @param sequence   its number among the signal entries of that node, from 1; a repeat of an entry (an append
 *                   retried after an unknown outcome) has the same number and is skipped by every reader alike
 * @param format     the version of the payload's format; a reader refuses a format it does not know
 * @param writer     the flow-server version that wrote it, for the error when the format is unknown
 * @param payload    the commands as the hub encodes them; not copied, do not modify
 */
@SuppressWarnings("ArrayRecordComponent") // handed on, not compared
public record SignalEntry(long position, String name, String originNode, long sequence, int format, String writer,
                          byte[] payload) {

    /** Checks the components. */
    public SignalEntry {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(originNode, "originNode must not be null");
        Objects.requireNonNull(writer, "writer must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative (got " + position + ")");
        }
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1 (got " + sequence + ")");
        }
    }

    /** This entry at {@code position}, as the engine stores it. */
    public SignalEntry at(long position) {
        return new SignalEntry(position, name, originNode, sequence, format, writer, payload);
    }

    @Override
    public String toString() {
        return "SignalEntry[" + position + ": '" + name + "' from " + originNode + "#" + sequence + ", format " + format
                + ", " + payload.length + " bytes]";
    }
}
