package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * What a {@link Dispatcher} is built with; checked by the hub's builder.
 *
 * @param executor         where the fan-out task, the lanes and the watchdog run; {@code null} for virtual threads
 *                         owned (and shut down) by the dispatcher
 * @param minBatchInterval the shortest time between two batches of one page; zero for none
 * @param maxLanes         the most delivery lanes that run at once
 * @param inboxCapacity    the most page messages the inbox holds
 * @param sendTimeout      how long a send from server code waits for room in a full inbox
 * @param sendRate         a browser session's sends per second; 0 for no send budget
 * @param sendBurst        a browser session's sends at once
 * @param disconnectGrace  how long a page's push connection may be lost before its presence ends
 * @param historyTopics    how many topics' histories are kept at most
 */
record DispatcherSettings(int queueCapacity, OverflowPolicy overflowPolicy, @Nullable Executor executor,
                             DeliveryErrorHandler errorHandler, HistoryPolicy historyPolicy, Duration minBatchInterval,
                             int maxLanes, int inboxCapacity, Duration sendTimeout, double sendRate, int sendBurst,
                             Duration disconnectGrace, int historyTopics) {
}
