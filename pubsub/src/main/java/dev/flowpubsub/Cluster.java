package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.spi.MessageCodec;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import dev.flowpubsub.spi.TransportHealth;
import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The hub's side of a {@link Transport}: encodes what this node sends and hands it to the transport, and turns
 * what other nodes sent into local deliveries, exactly once and in each origin's order.
 *
 * <p>Threading: {@link #send} is called by senders; one lock orders the local delivery and the transport's
 * sequence together, so this node's pages and the other nodes see this node's messages in the same order.
 * {@link #receive} is called by the transport's thread and serialized here.
 */
final class Cluster implements Outbound, TransportContext {

    private static final Logger LOG = Logs.CLUSTER;

    private static final long FORGET_ORIGIN_AFTER_NANOS = TimeUnit.HOURS.toNanos(1);
    private static final int LOGGED_REJECTIONS = 20;
    /** The hub gives up on a history read the transport has not answered after this long, queued or not. */
    static final Duration HISTORY_BACKSTOP = Duration.ofSeconds(30);
    /** Between a node's id and the epoch of its start, in an instance id. */
    static final char INSTANCE_SEPARATOR = '~';

    /** The node's configured id, as operators know it. */
    private final String nodeId;
    /**
     * This start of the node: its id plus an epoch, on every envelope it sends and in its presence ids. A node
     * restarted with the same id (a StatefulSet pod) is a new instance, so its sequence starting again at 1 is not
     * taken for repeats of its former messages.
     */
    private final String instanceId;
    private final Transport transport;
    private final MessageCodec codec;
    private final int maxPayloadBytes;
    private final Duration presenceHeartbeat;
    /** Where this node's and the others' messages go; set by {@link #start}, before the transport starts. */
    private volatile @Nullable Inbound inbound;

    /** Orders the local delivery and the transport's sequence together; never held while waiting. */
    private final ReentrantLock sendLock = new ReentrantLock();
    private long sequence;
    /** Serializes {@link #receive}, which may wait for room in the inbox (the transport's reader pauses). */
    private final ReentrantLock receiveLock = new ReentrantLock();

    /** Last sequence number delivered per origin node; guarded by {@link #receiveLock}. */
    private final Map<String, Origin> origins = new HashMap<>();
    private long receivesSincePrune;

    private final LongAdder received = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder duplicates = new LongAdder();
    private final LongAdder missed = new LongAdder();

    private static final class Origin {
        long lastSequence;
        long lastSeenNanos;
    }

    Cluster(String nodeId, Transport transport, MessageCodec codec, int maxPayloadBytes, Duration presenceHeartbeat) {
        this.nodeId = Arguments.notNull(nodeId, "nodeId");
        this.instanceId = nodeId + INSTANCE_SEPARATOR + Long.toString(System.currentTimeMillis(), 36)
                + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
        this.transport = Arguments.notNull(transport, "transport");
        this.codec = Arguments.notNull(codec, "codec");
        this.maxPayloadBytes = Arguments.positive(maxPayloadBytes, "maxMessageBytes");
        this.presenceHeartbeat = Arguments.notNull(presenceHeartbeat, "presenceHeartbeat");
    }

    @Override
    public void start(Inbound to) {
        this.inbound = to;
        transport.start(this);
    }

    private Inbound hub() {
        Inbound hub = inbound;
        if (hub == null) {
            throw new IllegalStateException("the cluster was not started");
        }
        return hub;
    }

    /**
     * Sends a message from this node: encodes it first (so a message that cannot travel fails here, before any
     * delivery), then delivers it locally and hands it to the transport, in one order.
     */
    @Override
    public void send(@Nullable String topic, Object message, @Nullable UI skip, Dispatcher.Sender sender) {
        byte[] payload = codec.encode(message);
        if (payload.length > maxPayloadBytes) {
            throw new IllegalArgumentException("message of type " + message.getClass().getName() + " is "
                    + payload.length + " bytes encoded, more than the limit of " + maxPayloadBytes
                    + " bytes: send less (an id to look up, say), or raise PubSubHub.builder().maxMessageBytes(...)");
        }
        Inbound hub = hub();
        hub.admit(sender); // may wait for room in the inbox: before the lock, which the fan-out needs too
        sendLock.lock();
        try {
            long number = ++sequence;
            hub.publishAdmitted(new Envelope(topic, message, skip, instanceId, number, System.nanoTime()));
            transport.publish(new TransportEnvelope(instanceId, number, topic, payload, System.currentTimeMillis()));
        } finally {
            sendLock.unlock();
        }
    }

    /** Sends a presence protocol message to the other nodes only (this node has applied it already). */
    @Override
    public void sendProtocol(PresenceMessage message) {
        byte[] payload;
        try {
            payload = codec.encode(message.toWire());
        } catch (RuntimeException e) {
            LOG.error("flow-pubsub: a presence descriptor could not be encoded for the other nodes", e);
            return;
        }
        sendLock.lock();
        try {
            transport.publish(new TransportEnvelope(instanceId, ++sequence, Presences.PROTOCOL_TOPIC, payload,
                    System.currentTimeMillis()));
        } finally {
            sendLock.unlock();
        }
    }

    /** Checks, at the call, that a value can travel: what a presence descriptor must pass before a join. */
    @Override
    public void checkEncodable(Object value, String what) {
        byte[] payload;
        try {
            payload = codec.encode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " cannot be sent to the other nodes: " + e.getMessage(), e);
        }
        if (payload.length > maxPayloadBytes / 2) {
            throw new IllegalArgumentException(what + " is " + payload.length + " bytes encoded, more than "
                    + maxPayloadBytes / 2 + " (half the message limit): keep it small, such as a name and an id");
        }
    }

    /**
     * The topic's last messages as the engine keeps them, up to what this node has received (see
     * {@link Transport#history}), oldest first; empty when the transport keeps no history. Completes with
     * {@code null} when the engine could not be read: the transport fails a read the engine does not answer within
     * {@link #historyTimeout()} of reaching it, and this gives up after {@link #HISTORY_BACKSTOP} in any case (a
     * transport that never answers). Never blocks: the transport answers in the background, and the answer is decoded
     * on {@code decoder}.
     */
    @Override
    public CompletableFuture<@Nullable List<Envelope>> history(String topic, int limit, Executor decoder) {
        CompletableFuture<List<TransportEnvelope>> read;
        try {
            // a copy: the backstop must not complete the transport's own future
            read = transport.history(topic, limit).toCompletableFuture().copy();
        } catch (RuntimeException failure) {
            read = CompletableFuture.failedFuture(failure);
        }
        // decoded on the hub's threads, not on the transport's (Lettuce's I/O threads, which its reads and writes need)
        return read.orTimeout(HISTORY_BACKSTOP.toMillis(), TimeUnit.MILLISECONDS).handleAsync((kept, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                LOG.warn("flow-pubsub: node {} could not read the history of topic '{}' from the transport "
                        + "({}); its pages get the history this node received itself", instanceId, Excerpt.of(topic),
                        cause instanceof TimeoutException ? "no answer in time" : cause.toString());
                return null;
            }
            if (kept == null) {
                LOG.warn("flow-pubsub: node {}'s transport answered the history read of topic '{}' with nothing (a bug "
                        + "in the transport); its pages get the history this node received itself", instanceId,
                        Excerpt.of(topic));
                return null;
            }
            return decodeHistory(topic, kept);
        }, decoder);
    }

    /** How long a history read may take once it reaches the engine: what the transport bounds it by. */
    @Override
    public Duration historyTimeout() {
        return Dispatcher.HISTORY_TIMEOUT;
    }

    private List<Envelope> decodeHistory(String topic, List<TransportEnvelope> kept) {
        List<Envelope> older = new ArrayList<>(kept.size());
        for (TransportEnvelope envelope : kept) {
            String id = envelope.originNode() + "#" + envelope.sequence();
            if (envelope.payload().length > maxPayloadBytes) {
                rejected(id, "history entry of " + envelope.payload().length + " bytes is over the limit of " + maxPayloadBytes);
                continue;
            }
            try {
                Object message = codec.decode(envelope.payload());
                if (message == null) {
                    rejected(id, "payload decodes to null");
                } else {
                    // replayed from the engine's history: never counted as late
                    older.add(new Envelope(topic, message, null, envelope.originNode(), envelope.sequence(), 0));
                }
            } catch (Throwable e) {
                if (Failures.isFatal(e)) {
                    throw e;
                }
                rejected(id, String.valueOf(e.getMessage()));
            }
        }
        return older;
    }

    @Override
    public int historySize(String topic) {
        return hub().historySize(topic);
    }

    @Override
    public boolean keepsHistory() {
        return true;
    }

    @Override
    public Optional<Duration> presenceHeartbeat() {
        return Optional.of(presenceHeartbeat);
    }

    @Override
    public boolean isRemote(Envelope envelope) {
        return envelope.origin() != null && !envelope.origin().equals(instanceId);
    }

    /** This start's id: what the transport and the other nodes see ({@link TransportContext#nodeId()}). */
    @Override
    public String nodeId() {
        return instanceId;
    }

    @Override
    public String instanceId() {
        return instanceId;
    }

    @Override
    public Optional<String> configuredNodeId() {
        return Optional.of(nodeId);
    }

    @Override
    public int maxPayloadBytes() {
        return maxPayloadBytes;
    }

    /**
     * An envelope from the engine, in its order. This node's own are skipped: both kinds of traffic there are, page
     * messages and the presence protocol, were applied here when sent. (A kind every node applies only in the log's
     * order would be applied here for this node's own too.)
     */
    @Override
    public void receive(TransportEnvelope envelope) {
        if (envelope.originNode().equals(instanceId)) {
            return; // ours: delivered locally when sent
        }
        receiveLock.lock();
        try {
            receiveInOrder(envelope);
        } finally {
            receiveLock.unlock();
        }
    }

    private void receiveInOrder(TransportEnvelope envelope) {
        long now = System.nanoTime();
        Origin origin = origins.computeIfAbsent(envelope.originNode(), key -> new Origin());
        origin.lastSeenNanos = now;
        long expected = origin.lastSequence + 1;
        if (origin.lastSequence > 0 && envelope.sequence() < expected) {
            duplicates.increment();
            return;
        }
        if (origin.lastSequence > 0 && envelope.sequence() > expected) {
            long lost = envelope.sequence() - expected;
            missed.add(lost);
            LOG.warn("flow-pubsub: node {} never received {} message(s) of node {} (sequence {} to {}); the transport "
                    + "lost them, for example past its retention", instanceId, lost, Excerpt.of(envelope.originNode()),
                    expected, envelope.sequence() - 1);
        }
        origin.lastSequence = envelope.sequence();
        pruneIdleOrigins(now);
        if (envelope.payload().length > maxPayloadBytes) {
            rejected(envelope.originNode() + "#" + envelope.sequence(),
                    "payload of " + envelope.payload().length + " bytes is over the limit of " + maxPayloadBytes);
            return;
        }
        Object message;
        try {
            message = codec.decode(envelope.payload());
        } catch (Throwable e) { // a codec of the application's may throw anything; the reader must go on
            if (Failures.isFatal(e)) {
                throw e;
            }
            rejected(envelope.originNode() + "#" + envelope.sequence(), String.valueOf(e.getMessage()));
            return;
        }
        if (message == null) {
            rejected(envelope.originNode() + "#" + envelope.sequence(), "payload decodes to null");
            return;
        }
        if (envelope.topic() != null && (envelope.topic().isBlank()
                || (envelope.topic().startsWith(Dispatcher.INTERNAL) && !Presences.PROTOCOL_TOPIC.equals(envelope.topic())))) {
            rejected(envelope.originNode() + "#" + envelope.sequence(), "blank topic");
            return;
        }
        if (!Presences.PROTOCOL_TOPIC.equals(envelope.topic())) {
            received.increment();
        }
        Inbound hub = hub();
        long sentNanos = Presences.PROTOCOL_TOPIC.equals(envelope.topic()) ? System.nanoTime()
                : hub.latencies().received(envelope.sentAtMillis());
        hub.publishRemote(new Envelope(envelope.topic(), message, null, envelope.originNode(), envelope.sequence(),
                sentNanos));
    }

    private void pruneIdleOrigins(long now) {
        if (++receivesSincePrune < 10_000) {
            return;
        }
        receivesSincePrune = 0;
        origins.values().removeIf(origin -> now - origin.lastSeenNanos > FORGET_ORIGIN_AFTER_NANOS);
    }

    @Override
    public void nodeGone(String node) { hub().nodeGone(node); } // this node's own id is ignored there

    @Override
    public void entriesMissed() { hub().presenceMissed(); }

    @Override
    public void rejected(String entryId, String reason) {
        rejected.increment();
        long count = rejected.sum();
        if (count <= LOGGED_REJECTIONS) {
            LOG.warn("flow-pubsub: node {} skipped entry {} from the transport: {}{}", nodeId,
                    Excerpt.of(entryId), Excerpt.of(reason),
                    count == LOGGED_REJECTIONS ? " (further skipped entries are logged every 1,000th; see "
                            + "PubSubHub.stats().remoteRejected())" : "");
        } else if (count % 1000 == 0) {
            LOG.warn("flow-pubsub: node {} skipped {} entries from the transport so far; the latest, {}: {}",
                    nodeId, count, Excerpt.of(entryId), Excerpt.of(reason));
        }
    }

    @Override
    public Optional<SignalLog> signalLog() {
        return transport.signalLog();
    }

    @Override
    public Optional<TransportHealth> health() {
        return Optional.of(transport.health());
    }

    @Override
    public void close(Runnable leaves) {
        try {
            leaves.run();
        } finally {
            transport.close();
        }
    }

    @Override
    public RemoteCounts counts() {
        return new RemoteCounts(received.sum(), rejected.sum(), duplicates.sum(), missed.sum());
    }
}
