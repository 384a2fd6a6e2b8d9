package dev.flowpubsub.spi;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Carries messages between the nodes (servers) of a cluster: what an engine such as Redis, PostgreSQL
 * LISTEN/NOTIFY or NATS implements. A transport only moves encoded {@link TransportEnvelope envelopes}; the hub
 * does all delivery to pages, delivers a node's own messages locally without a round trip, and drops anything
 * that comes back to the node that sent it.
 *
 * <p>Contract, checked by the shared conformance suite ({@code TransportConformanceSuite} in flow-pubsub's test
 * jar):
 * <ul>
 * <li>Each node holds one subscription to the engine, however many pages it has.</li>
 * <li>{@link #publish} returns at once (it may buffer) and never throws for a transient engine failure; what it
 * cannot carry it reports through {@link #health()}.</li>
 * <li>Envelopes published by one node reach each other node in the order published. Redelivering one is allowed
 * (the hub skips an origin's sequence numbers it has seen), skipping one is not, within the retention the
 * transport documents.</li>
 * <li>Envelopes are handed to {@link TransportContext#receive} one at a time, from one thread at a time.</li>
 * </ul>
 */
public interface Transport extends AutoCloseable {

    /**
     * Connects and starts receiving. Called once by the hub, before the first {@link #publish}. From then on,
     * every envelope published by another node goes to {@code context.receive}.
     *
     * @throws IllegalStateException if it cannot start (for example the engine's address is malformed); an
     *                               engine that is merely unreachable should be retried in the background instead
     */
    void start(TransportContext context);

    /** Hands an envelope to the other nodes. Called in sequence order, never concurrently. Returns at once. */
    void publish(TransportEnvelope envelope);

    /**
     * The newest {@code limit} envelopes published on {@code topic} that the engine keeps, <em>up to the last entry
     * this transport has handed to {@link TransportContext#receive}</em> (or skipped as its own), oldest first, each
     * with its origin and sequence: what a node needs to complete a topic's history, whether it started after they
     * were sent or let the topic's history go (the hub keeps the histories of so many topics only) and reads it
     * again. Bounded by what was handed over, every envelope returned has either reached the hub already or was sent
     * before this node started, and every later one will come through {@code receive}: the hub merges the answer with
     * what it received, by origin and sequence, with no gap and no repeat (see {@link TransportContext#historySize}).
     *
     * <p>Must not block: return a stage the engine's answer completes. A transport may queue reads (to bound its
     * connections); it fails a read the engine has not answered within {@link TransportContext#historyTimeout()} of
     * reaching the engine, and never drops one. The hub asks once per topic; when a read fails, its pages get the
     * history the node received itself, and the next subscriber asks again. The hub checks every envelope's size and
     * payload as it does for received ones, and gives up on a read that is still not answered after 30 seconds. A
     * transport that keeps no history completes with an empty list, the default.
     */
    default CompletionStage<List<TransportEnvelope>> history(String topic, int limit) {
        return CompletableFuture.completedFuture(List.of());
    }

    /**
     * The log shared signals replicate through on this engine, if it carries them; created once, closed with the
     * transport. Asked for after {@link #start}, when the first shared signal is made.
     */
    default Optional<SignalLog> signalLog() {
        return Optional.empty();
    }

    /** Whether the engine is reachable now, and what is buffered, for health checks and logs. */
    TransportHealth health();

    /** Stops receiving and releases connections and threads. Idempotent. */
    @Override
    void close();
}
