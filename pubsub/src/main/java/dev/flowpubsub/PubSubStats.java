package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;

/**
 * A snapshot of a hub's counters, from {@link PubSubHub#stats()}. Counters only grow for the lifetime
 * of the hub; the gauges ({@code subscribedUis}, {@code subscriptions}, {@code topics}, {@code pending}, {@code inbox},
 * {@code waitingForPush})
 * are read at the moment of the call and may be slightly stale under concurrent change.
 *
 * @param subscribedUis pages (UIs) holding at least one subscription
 * @param subscriptions handlers currently subscribed, over all pages
 * @param topics        topics with at least one subscriber on this node
 * @param pending       messages queued for pages and not yet handled
 * @param inbox         messages sent and not yet handed to pages' queues (at most the inbox capacity)
 * @param waitingForPush pages whose next batch waits for Atmosphere to finish writing their last push: many of
 *                      them for long means the server cannot write pushes as fast as messages come
 * @param sent          messages accepted by a send call on this node
 * @param delivered     messages handed to a page's handlers (once per page, whatever the number of handlers)
 * @param dropped       messages dropped because a page's queue was full (see {@link OverflowPolicy})
 * @param refused       sends refused at the call ({@link PubSubSendRefusedException}): a browser session over its
 *                      send budget, or a full inbox
 * @param failed        handler calls that threw
 * @param batches       {@code ui.access(...)} calls made to deliver; lower than {@code delivered} when
 *                      several pending messages were handled under one lock and one push
 * @param remoteReceived messages received from other nodes through the transport and accepted
 * @param remoteRejected entries from the transport that were skipped: malformed, foreign, too large, or of a
 *                       type this node's codec does not allow
 * @param remoteDuplicates messages from other nodes received again (after a reconnect) and skipped
 * @param remoteMissed   messages of other nodes known to be lost: gaps in an origin's sequence, such as
 *                       entries the engine dropped past its retention
 */
@NullMarked
public record PubSubStats(int subscribedUis, long subscriptions, int topics, long pending, int inbox, int waitingForPush,
                          long sent, long delivered, long dropped, long refused, long failed, long batches,
                          long remoteReceived, long remoteRejected, long remoteDuplicates, long remoteMissed) {
}
