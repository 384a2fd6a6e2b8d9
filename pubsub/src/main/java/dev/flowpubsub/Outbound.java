package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.TransportHealth;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Where everything this node sends goes first, as Phoenix.PubSub hands every broadcast to its adapter: one path,
 * {@link LocalOutbound} on a hub without transport, {@link Cluster} with one. It owns the node's one sequence: it
 * numbers each message, hands it to this node's pages through the {@link Inbound} and, across nodes, to the other
 * nodes, in one order. "No transport" is this local path, not a {@code null}.
 *
 * <p>Traffic comes in kinds: a page message (delivered here at once, and to the others), the hub's presence protocol
 * (to the others only: this node applied it already). A kind that every node applies only in the log's order, the
 * sender's own node included (shared state), would be a third: handed to the engine only, and applied by every node's
 * {@link Cluster#receive} in log order.
 *
 * <p>Threading: {@link #send} and {@link #sendProtocol} from any thread; {@link #start} and {@link #close} once.
 */
sealed interface Outbound permits LocalOutbound, Cluster {

    /** Starts receiving from the other nodes, handing what arrives to {@code inbound}. Once, before the first send. */
    void start(Inbound inbound);

    /**
     * Sends a message of this node: checks it can travel (before anything is delivered anywhere), numbers it, and
     * hands it to this node's pages and to the other nodes, in one order.
     *
     * @param skip the page that must not receive it ({@code sendOthers}), or {@code null}
     */
    void send(@Nullable String topic, Object message, @Nullable UI skip, Dispatcher.Sender sender);

    /** Sends a presence protocol message to the other nodes only. */
    void sendProtocol(PresenceMessage message);

    /** Checks, at the call, that a value can travel: what a presence descriptor must pass before a join. */
    void checkEncodable(Object value, String what);

    /** This start's id, on every message and presence entry it makes ({@code local} without transport). */
    String instanceId();

    /** The node's configured id, as operators know it; empty without transport. */
    Optional<String> configuredNodeId();

    /** How often this node tells the others its presence entries; empty when there are none to tell. */
    Optional<Duration> presenceHeartbeat();

    /** Whether the engine keeps topics' histories, to be read for a topic's first subscriber. */
    boolean keepsHistory();

    /**
     * The topic's last messages as the engine keeps them, decoded on {@code decoder}; {@code null} when it could not
     * be read (see {@code Cluster#history}).
     */
    CompletableFuture<@Nullable List<Envelope>> history(String topic, int limit, Executor decoder);

    /** Whether a message came from another node. */
    boolean isRemote(Envelope envelope);

    /** What crossing nodes counted: received, rejected, repeated and missed messages (all 0 without transport). */
    RemoteCounts counts();

    /** The engine's log for shared signals; empty without transport, or when the transport carries none. */
    Optional<SignalLog> signalLog();

    /** The engine's health; empty without transport. */
    Optional<TransportHealth> health();

    /**
     * Stops receiving and releases the engine. With other nodes, {@code leaves} runs first: the hub's pages leave
     * their presence, so the others hear it before this node goes. Idempotent.
     */
    void close(Runnable leaves);

    /** What crossing nodes counted. */
    record RemoteCounts(long received, long rejected, long duplicates, long missed) {
        static final RemoteCounts NONE = new RemoteCounts(0, 0, 0, 0);
    }
}
