package dev.flowpubsub;

import java.util.List;

/**
 * Placed in a page's queue by the fan-out task where a subscription taken with a snapshot starts: the page
 * handles the snapshot first, then the messages queued after this point, and skips for it those queued before
 * (which the snapshot already holds). So there is no gap and no duplicate at the seam.
 *
 * @param subscription the subscription that starts here
 * @param snapshot     the messages to hand it first, in order
 * @param restarted    whether the snapshot starts the history over for a component attached again, because the
 *                     message it last saw has left the history (see {@link HistoryCursor})
 */
record Activation(Subscription subscription, List<Envelope> snapshot, boolean restarted) implements PageItem {
}
