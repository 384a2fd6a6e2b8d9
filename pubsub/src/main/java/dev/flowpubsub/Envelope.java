package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import org.jspecify.annotations.Nullable;

/**
 * One message on its way through the hub: the unit that is queued, fanned out, kept in history and delivered.
 *
 * @param topic          the topic, or {@code null} for a broadcast ({@code sendAll}/{@code sendOthers})
 * @param message        the message object, never {@code null}
 * @param skip           the UI that must not receive it ({@code sendOthers*}), or {@code null}
 * @param origin         the node that sent it, or {@code null} on a hub without transport
 * @param originSequence its number in the origin's sequence; without transport, in the hub's (0 for the hub's own
 *                       messages): with {@code origin}, what identifies it in a topic's history
 * @param sentNanos      the {@code System.nanoTime()} at which it was sent: by this node's send call, or, for a
 *                       message from another node, estimated from the origin's clock; only to measure how late it is
 */
record Envelope(@Nullable String topic, Object message, @Nullable UI skip, @Nullable String origin,
                long originSequence, long sentNanos)
        implements InboxItem, PageItem {

    /** A message sent now on a hub without transport, numbered by the hub. */
    static Envelope local(@Nullable String topic, Object message, @Nullable UI skip, long sequence) {
        return new Envelope(topic, message, skip, null, sequence, System.nanoTime());
    }

    /** A message for pages' handlers, as opposed to the hub's own (presence protocol and events). */
    boolean isPageMessage() {
        return topic == null || !topic.startsWith(Dispatcher.INTERNAL);
    }
}
