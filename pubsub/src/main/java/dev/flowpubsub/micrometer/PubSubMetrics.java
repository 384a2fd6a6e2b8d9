package dev.flowpubsub.micrometer;

import dev.flowpubsub.LatencyListener;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubStats;
import dev.flowpubsub.SignalStats;
import dev.flowpubsub.spi.support.Arguments;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a hub's {@link PubSubHub#stats() stats} as Micrometer meters. The Spring Boot starter binds it
 * when Micrometer is on the classpath; elsewhere call {@code new PubSubMetrics(hub).bindTo(registry)}.
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>name</th><th>type</th><th>what</th></tr>
 * <tr><td>{@code pubsub.uis}</td><td>gauge</td><td>pages holding at least one subscription</td></tr>
 * <tr><td>{@code pubsub.subscriptions}</td><td>gauge</td><td>subscribed handlers</td></tr>
 * <tr><td>{@code pubsub.topics}</td><td>gauge</td><td>topics with a subscriber</td></tr>
 * <tr><td>{@code pubsub.pending}</td><td>gauge</td><td>messages queued for pages</td></tr>
 * <tr><td>{@code pubsub.inbox}</td><td>gauge</td><td>messages sent and not yet handed to pages' queues</td></tr>
 * <tr><td>{@code pubsub.push.waiting}</td><td>gauge</td><td>pages whose next batch waits for their last push to be
 * written</td></tr>
 * <tr><td>{@code pubsub.delivery.latency}</td><td>timer, tag {@code origin} = {@code local} or {@code remote}</td>
 * <td>from the send call to the handler, per page batch, for its oldest message (remote: from the send call on
 * the other node, on that node's clock)</td></tr>
 * <tr><td>{@code pubsub.remote.lag}</td><td>timer</td><td>how far the transport's reader is behind: the age of
 * each message from another node when this node reads it</td></tr>
 * <tr><td>{@code pubsub.messages.sent}</td><td>counter</td><td>messages accepted by send calls</td></tr>
 * <tr><td>{@code pubsub.messages.delivered}</td><td>counter</td><td>messages handed to a page's handlers</td></tr>
 * <tr><td>{@code pubsub.messages.dropped}</td><td>counter</td><td>messages dropped by a full page queue</td></tr>
 * <tr><td>{@code pubsub.messages.refused}</td><td>counter</td><td>sends refused: over a session's send budget, or a full inbox</td></tr>
 * <tr><td>{@code pubsub.handlers.failed}</td><td>counter</td><td>handler calls that threw</td></tr>
 * <tr><td>{@code pubsub.batches}</td><td>counter</td><td>{@code ui.access} calls made to deliver</td></tr>
 * <tr><td>{@code pubsub.remote.received}</td><td>counter</td><td>messages received from other nodes</td></tr>
 * <tr><td>{@code pubsub.remote.rejected}</td><td>counter</td><td>transport entries skipped as malformed or not allowed</td></tr>
 * <tr><td>{@code pubsub.remote.duplicates}</td><td>counter</td><td>messages from other nodes received again, skipped</td></tr>
 * <tr><td>{@code pubsub.remote.missed}</td><td>counter</td><td>messages of other nodes known to be lost</td></tr>
 * <tr><td>{@code pubsub.signals.names}</td><td>gauge</td><td>shared signal names this node holds</td></tr>
 * <tr><td>{@code pubsub.signals.behind}</td><td>gauge</td><td>signal log entries this node has not applied yet</td></tr>
 * <tr><td>{@code pubsub.signals.snapshot.age}</td><td>gauge, seconds</td><td>since this node last stored a snapshot
 * (NaN: none yet)</td></tr>
 * <tr><td>{@code pubsub.signals.submitted}, {@code .confirmed}, {@code .applied}, {@code .rejected},
 * {@code .resyncs}, {@code .resets}</td><td>counters</td><td>see {@link SignalStats}</td></tr>
 * <tr><td>{@code pubsub.signals.refused}</td><td>counter, tag {@code reason}
 * ({@link SignalStats#REFUSAL_REASONS})</td><td>shared signal writes that ended unapplied, or unknown</td></tr>
 * <tr><td>{@code pubsub.signals.confirm.latency}</td><td>function timer</td><td>from a write's call to its
 * confirm on this node: count and total (mean)</td></tr>
 * </table>
 *
 * <p>The {@code pubsub.signals.*} meters read {@link PubSubHub#signalStats()}, which starts nothing: they are zero
 * until the application makes a shared signal.
 *
 * <p>Counters and gauges read the hub's counters when scraped. The timers are fed by a {@link LatencyListener}
 * the binding adds to the hub: one clock read per page batch and one per message from another node; they publish a
 * percentile histogram (1 ms to 1 min), so p99 can be alerted on. The hub is held weakly by the gauges.
 */
public final class PubSubMetrics implements MeterBinder {

    private final PubSubHub hub;
    private final Iterable<Tag> tags;

    /** Meters for {@code hub}, with no extra tags. */
    public PubSubMetrics(PubSubHub hub) {
        this(hub, Tags.empty());
    }

    /** Meters for {@code hub}, each carrying {@code tags} (for example the application's name). */
    public PubSubMetrics(PubSubHub hub, Iterable<Tag> tags) {
        this.hub = Arguments.notNull(hub, "hub");
        this.tags = Arguments.notNull(tags, "tags");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "pubsub.uis", "Pages (UIs) holding at least one subscription", PubSubStats::subscribedUis);
        gauge(registry, "pubsub.subscriptions", "Subscribed handlers over all pages", PubSubStats::subscriptions);
        gauge(registry, "pubsub.topics", "Topics with at least one subscriber on this node", PubSubStats::topics);
        gauge(registry, "pubsub.pending", "Messages queued for pages, not yet handled", PubSubStats::pending);
        gauge(registry, "pubsub.inbox", "Messages sent and not yet handed to pages' queues", PubSubStats::inbox);
        gauge(registry, "pubsub.push.waiting", "Pages whose next batch waits for their last push to be written",
                PubSubStats::waitingForPush);
        counter(registry, "pubsub.messages.sent", "Messages accepted by send calls on this node", PubSubStats::sent);
        counter(registry, "pubsub.messages.delivered", "Messages handed to a page's handlers", PubSubStats::delivered);
        counter(registry, "pubsub.messages.dropped", "Messages dropped because a page's queue was full", PubSubStats::dropped);
        counter(registry, "pubsub.messages.refused", "Sends refused: a browser session over its send budget, or a full inbox",
                PubSubStats::refused);
        counter(registry, "pubsub.handlers.failed", "Handler calls that threw", PubSubStats::failed);
        counter(registry, "pubsub.batches", "ui.access calls made to deliver messages", PubSubStats::batches);
        counter(registry, "pubsub.remote.received", "Messages received from other nodes", PubSubStats::remoteReceived);
        counter(registry, "pubsub.remote.rejected", "Entries from the transport skipped as malformed or not allowed",
                PubSubStats::remoteRejected);
        counter(registry, "pubsub.remote.duplicates", "Messages from other nodes received again and skipped",
                PubSubStats::remoteDuplicates);
        counter(registry, "pubsub.remote.missed", "Messages of other nodes known to be lost", PubSubStats::remoteMissed);
        Timer local = timer(registry, "pubsub.delivery.latency", "From the send call to the handler, per page batch",
                Tags.of("origin", "local"));
        Timer remote = timer(registry, "pubsub.delivery.latency", "From the send call to the handler, per page batch",
                Tags.of("origin", "remote"));
        Timer lag = timer(registry, "pubsub.remote.lag", "Age of messages from other nodes when this node reads them",
                Tags.empty());
        bindSignals(registry);
        var unused = hub.addLatencyListener(new LatencyListener() {
            @Override
            public void delivered(long nanos, boolean fromOtherNode) {
                (fromOtherNode ? remote : local).record(nanos, TimeUnit.NANOSECONDS);
            }

            @Override
            public void received(long nanos) {
                lag.record(nanos, TimeUnit.NANOSECONDS);
            }
        });
    }

    /** The shared signals' meters: zero (the age NaN) until a shared signal is made, which they do not start. */
    private void bindSignals(MeterRegistry registry) {
        signalGauge(registry, "pubsub.signals.names", "Shared signal names this node holds", SignalStats::namesInUse);
        signalGauge(registry, "pubsub.signals.behind", "Signal log entries this node has not applied yet",
                stats -> stats.head() - stats.position());
        Gauge.builder("pubsub.signals.snapshot.age", hub, h -> h.signalStats()
                        .filter(stats -> stats.snapshotAgeMillis() >= 0)
                        .map(stats -> stats.snapshotAgeMillis() / 1000.0).orElse(Double.NaN))
                .description("Seconds since this node last stored a shared signal snapshot").baseUnit("seconds")
                .tags(tags).register(registry);
        signalCounter(registry, "pubsub.signals.submitted", "Shared signal writes taken at the call",
                SignalStats::submitted, Tags.empty());
        signalCounter(registry, "pubsub.signals.confirmed", "Shared signal writes of this node that came back applied",
                SignalStats::confirmed, Tags.empty());
        signalCounter(registry, "pubsub.signals.applied", "Signal log entries applied, every node's",
                SignalStats::applied, Tags.empty());
        signalCounter(registry, "pubsub.signals.rejected", "Signal log entries refused unapplied",
                SignalStats::rejected, Tags.empty());
        signalCounter(registry, "pubsub.signals.resyncs", "Times this node loaded snapshots past the trim watermark",
                SignalStats::resyncs, Tags.empty());
        signalCounter(registry, "pubsub.signals.resets", "Times the engine lost its data and this node re-seeded it",
                SignalStats::resets, Tags.empty());
        for (String reason : SignalStats.REFUSAL_REASONS) {
            signalCounter(registry, "pubsub.signals.refused", "Shared signal writes that ended unapplied, by reason",
                    stats -> stats.refused().getOrDefault(reason, 0L), Tags.of("reason", reason));
        }
        FunctionTimer.builder("pubsub.signals.confirm.latency", hub,
                        h -> h.signalStats().map(SignalStats::confirmed).orElse(0L),
                        h -> h.signalStats().map(SignalStats::confirmNanos).orElse(0L), TimeUnit.NANOSECONDS)
                .description("From a shared signal write's call to its confirm on this node (count and total)")
                .tags(tags).register(registry);
    }

    private void signalGauge(MeterRegistry registry, String name, String description,
                             ToDoubleFunction<SignalStats> value) {
        Gauge.builder(name, hub, h -> h.signalStats().map(value::applyAsDouble).orElse(0.0))
                .description(description).tags(tags).register(registry);
    }

    private void signalCounter(MeterRegistry registry, String name, String description,
                               ToDoubleFunction<SignalStats> value, Tags extra) {
        FunctionCounter.builder(name, hub, h -> h.signalStats().map(value::applyAsDouble).orElse(0.0))
                .description(description).tags(tags).tags(extra).register(registry);
    }

    private Timer timer(MeterRegistry registry, String name, String description, Tags extra) {
        return Timer.builder(name).description(description).tags(tags).tags(extra)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
    }

    private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<PubSubStats> value) {
        Gauge.builder(name, hub, h -> value.applyAsDouble(h.stats()))
                .description(description).tags(tags).register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<PubSubStats> value) {
        FunctionCounter.builder(name, hub, h -> value.applyAsDouble(h.stats()))
                .description(description).tags(tags).register(registry);
    }
}
