package dev.flowpubsub;

/**
 * What the hub's {@link Outbound} path hands on to the hub: this node's messages, once numbered, and the other nodes'
 * messages as they arrive. The {@link Dispatcher}'s side, narrowed to what an outbound path needs.
 *
 * <p>Threading: as each method says.
 */
interface Inbound {

    /**
     * Takes a place in the hub's inbox for one message of {@code sender}, before the message is numbered: a page's
     * send is refused when the inbox is full, a send from server code waits for room. Outside any lock.
     *
     * @throws PubSubSendRefusedException if there is no room
     */
    void admit(Dispatcher.Sender sender);

    /** Accepts a message of this node admitted with {@link #admit}: it goes to this node's pages. */
    void publishAdmitted(Envelope envelope);

    /** Accepts a message of another node (or the hub's own protocol): waits while the inbox is full. */
    void publishRemote(Envelope envelope);

    /** The engine says another node (an instance id) is gone: what it had present goes. Any thread. */
    void nodeGone(String node);

    /** The engine dropped entries this node had not read: ask the other nodes who is present again. Any thread. */
    void presenceMissed();

    /** How many of a topic's messages the hub keeps (the engine keeps as many). Any thread. */
    int historySize(String topic);

    /** Where how late messages are is measured. */
    Latencies latencies();
}
