package dev.flowpubsub.spi;

import java.time.Duration;

/** What the hub gives its {@link Transport} when it starts it. */
public interface TransportContext {

    /**
     * This node's id for this start: the configured node id plus an epoch of the start, so unique per running hub
     * even when a restarted node keeps its configured id. Envelopes published by this hub carry it as their origin.
     */
    String nodeId();

    /** The largest payload the hub accepts, in bytes; a transport may refuse larger entries before decoding. */
    int maxPayloadBytes();

    /**
     * How many of a topic's last messages the engine should keep for nodes that start later (0: none). A
     * transport that keeps history stores each published envelope's topic history accordingly.
     */
    int historySize(String topic);

    /**
     * How long a {@link Transport#history} read may take once it reaches the engine (not counting the time it waited
     * in a transport's queue): the transport fails it after that, and the hub's pages get what the node has.
     */
    Duration historyTimeout();

    /**
     * Passes an envelope received from the engine to the hub, which delivers it to this node's pages. Called from
     * one thread at a time, in the engine's order. Envelopes of this node, and ones seen before, are skipped.
     */
    void receive(TransportEnvelope envelope);

    /**
     * Reports an entry read from the engine that is not a valid envelope (malformed, foreign, too large). The hub
     * counts it and logs it once with its id; the transport skips it and goes on.
     *
     * @param entryId the engine's id for the entry, for the log
     * @param reason  what is wrong with it
     */
    void rejected(String entryId, String reason);

    /**
     * Tells the hub that the engine knows node {@code nodeId} (an id as {@link #nodeId()} gives, with its start's
     * epoch) is gone: the hub drops what that node had present now, instead of after three silent heartbeats. For an
     * engine that knows (the in-memory one of {@code dev.flowpubsub.testing} does); others need not call it. Any
     * thread.
     */
    default void nodeGone(String nodeId) {
    }

    /**
     * Tells the hub that the engine dropped entries this node had not read (past its retention, or lost with the
     * engine's data): the hub asks the other nodes for who is present again, as when it starts, since a join or leave
     * may have been among them. Any thread.
     */
    default void entriesMissed() {
    }
}
