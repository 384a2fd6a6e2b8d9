package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;

/**
 * What a page's queue does when a message arrives and the queue is full, because the page cannot keep
 * up: a slow handler, a session lock held by a long request, a stalled connection.
 *
 * <p>Either way the page that overflows is the only one affected: the sender and every other page go on
 * at their own pace. Each dropped message is counted in {@link PubSubStats#dropped()}, and the first drop
 * of each page is logged as a warning with the page's UI id.
 */
@NullMarked
public enum OverflowPolicy {

    /** Drop the oldest pending message to make room for the new one: the page sees the latest messages. The default. */
    DROP_OLDEST,

    /** Drop the new message and keep what is already queued: the page sees the earliest messages. */
    DROP_NEWEST
}
