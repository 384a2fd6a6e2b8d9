package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;

/**
 * Told how late messages are, so operators can alert on it; {@link dev.flowpubsub.micrometer.PubSubMetrics} turns
 * these calls into timers. Add one with {@link PubSubHub#addLatencyListener(LatencyListener)}; a hub without
 * listeners reads the clock once per send (to stamp it) and not when delivering.
 *
 * <p>Both methods are called on the hub's threads in the middle of delivery: they must be quick, must not block and
 * must not throw (what they throw is logged once and ignored).
 */
@NullMarked
public interface LatencyListener {

    /**
     * A page's batch has handed messages to their handlers. Called inside that page's {@code ui.access} (its
     * session lock held) once per batch for its oldest message sent on this node and once for its oldest message
     * from other nodes (when it has them), so it gives each page's worst wait, not every message's. Messages a new
     * subscription replays from history are not counted.
     *
     * @param nanos          how long ago the oldest message of the batch was sent: on this node, by the send call;
     *                       from another node, by the origin's send call, on the origin's clock (clock skew between
     *                       the nodes adds to it; it is never negative)
     * @param fromOtherNode  whether that message came from another node through the transport
     */
    void delivered(long nanos, boolean fromOtherNode);

    /**
     * The transport has handed this node a message from another node: how far its reader is behind. Called on the
     * transport's reader thread, once per message.
     *
     * @param nanos how long ago the origin sent it, on the origin's clock (never negative)
     */
    default void received(long nanos) {
    }
}
