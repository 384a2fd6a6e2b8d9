package dev.flowpubsub.spi;

import org.jspecify.annotations.Nullable;

import java.util.Objects;

/**
 * One message on its way between nodes.
 *
 * @param originNode the id of the node that sent it ({@link TransportContext#nodeId()})
 * @param sequence   its number among the envelopes of that node, from 1, increasing by one per message
 * @param topic      the topic, or {@code null} for a broadcast ({@code sendAll}/{@code sendOthers})
 * @param payload    the message as encoded by the hub's {@link MessageCodec}; not copied, do not modify
 * @param sentAtMillis when the origin sent it, in milliseconds since the epoch on the origin's clock; 0 when not
 *                     known (an entry written by an earlier release). Receivers use it only to measure how late
 *                     messages are, never to order them
 */
@SuppressWarnings("ArrayRecordComponent") // the payload is handed on, not compared: copying it would cost on every send
public record TransportEnvelope(String originNode, long sequence, @Nullable String topic, byte[] payload,
                                long sentAtMillis) {

    /** An envelope whose send time is not known. */
    public TransportEnvelope(String originNode, long sequence, @Nullable String topic, byte[] payload) {
        this(originNode, sequence, topic, payload, 0);
    }

    /** Checks the components: origin and payload present, sequence from 1, send time not negative. */
    public TransportEnvelope {
        Objects.requireNonNull(originNode, "originNode must not be null");
        Objects.requireNonNull(payload, "payload must not be null");
        if (sequence < 1) {
            throw new IllegalArgumentException("sequence must be at least 1 (got " + sequence + ")");
        }
        if (sentAtMillis < 0) {
            throw new IllegalArgumentException("sentAtMillis must not be negative (got " + sentAtMillis + ")");
        }
    }

    @Override
    public String toString() {
        return "TransportEnvelope[" + originNode + "#" + sequence + (topic == null ? "" : " on '" + topic + "'")
                + ", " + payload.length + " bytes]";
    }
}
