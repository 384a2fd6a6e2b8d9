package dev.flowpubsub;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Who is present on which topic, on this node and, through the transport, on the others.
 *
 * <p>Threading: every change runs in the dispatcher's fan-out task (as a {@link Control} or a protocol message
 * from another node), so changes and the JOIN/LEAVE events they produce have one order with the messages.
 * {@link #present} may be called from any thread and reads a concurrent map.
 *
 * <h2>Across nodes</h2>
 * Each node owns its own entries and tells the others ({@link PresenceMessage}): {@code Join} and {@code Leave} as
 * they happen, a {@code Beat} every heartbeat with the count and a digest of its entries, its whole {@code State}
 * (in chunks) when asked with {@code Sync}. A node that finds its view of another node's entries out of step with that
 * node's beat asks it for its state. Entries of a node not heard from for three heartbeats are removed, as if
 * each had left: that node stopped, or lost the engine.
 *
 * <p>This node's joins and leaves are told in windows of {@link #WINDOW}: what changed in a window goes out at its
 * end, one message per entry, and a join and its leave in one window go out not at all (nor a leave and its rejoin). A page that navigates in a
 * flood (each navigation a leave and a join) so sends the cluster a few messages, not one per navigation; its own
 * node's pages still see every change at once. The heartbeat and an answer to {@code Sync} tell what waits first.
 */
final class Presences {

    private static final Logger LOG = Logs.PRESENCE;

    static final String PROTOCOL_TOPIC = Dispatcher.INTERNAL + "presence";
    static final String EVENTS_PREFIX = Dispatcher.INTERNAL + "presence-events:";

    /** One entry: someone present on a topic, owned by a node. */
    record Member(String topic, String id, Object descriptor, long joinedAt, String node) {
        Presence presence() {
            return new Presence(id, descriptor, joinedAt);
        }
    }

    /** The chunks of a node's state received so far. */
    private record PartialState(String stateId, List<Member> members) {
    }

    /** Hands a JOIN or LEAVE event to this node's presence subscribers, in the fan-out. */
    private final Consumer<Envelope> events;
    private final String nodeId;
    /** Sends a protocol message to the other nodes (to none, on a hub without transport). */
    private final Consumer<PresenceMessage> protocol;
    private final int maxMembersPerChunk;

    /** How long this node's joins and leaves are gathered before the other nodes are told. */
    static final Duration WINDOW = Duration.ofMillis(200);

    /** Runs an action in the fan-out task once {@link #WINDOW} has passed. */
    private final Consumer<Runnable> afterWindow;
    /** This node's joins and leaves the other nodes have not been told yet, by entry id, in order. */
    private final LinkedHashMap<String, PresenceMessage> untold = new LinkedHashMap<>();
    private boolean tellScheduled;
    /** Told of every entry that leaves, this node's or another's (shared signals' owners). */
    private volatile @Nullable Consumer<Member> onLeave;

    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Member>> byTopic = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Member>> byNode = new HashMap<>();
    private final Map<String, Long> lastHeard = new HashMap<>();
    private final Map<String, Long> lastSyncAsked = new HashMap<>();
    /** Per node, the state it is sending in chunks, until the last chunk arrives; a newer state replaces it. */
    private final Map<String, PartialState> partialStates = new HashMap<>();

    Presences(Consumer<Envelope> events, String nodeId, Consumer<PresenceMessage> protocol, int maxMembersPerChunk,
              Consumer<Runnable> afterWindow) {
        this.events = events;
        this.afterWindow = afterWindow;
        this.nodeId = nodeId;
        this.protocol = protocol;
        this.maxMembersPerChunk = maxMembersPerChunk;
    }

    /** Who is present on a topic now, in the order they joined. Any thread. */
    List<Presence> present(String topic) {
        Map<String, Member> members = byTopic.get(topic);
        if (members == null) {
            return List.of();
        }
        return members.values().stream()
                .sorted(Comparator.comparingLong(Member::joinedAt).thenComparing(Member::id))
                .map(Member::presence).toList();
    }

    /** The current members of a topic as PRESENT events, for a new presence subscriber. Fan-out task. */
    List<Envelope> snapshot(String topic) {
        return present(topic).stream()
                .map(p -> event(topic, PresenceEvent.Kind.PRESENT, p)).toList();
    }

    private static Envelope event(String topic, PresenceEvent.Kind kind, Presence presence) {
        return Envelope.local(EVENTS_PREFIX + topic, new PresenceEvent(topic, kind, presence), null, 0);
    }

    /** Tells {@code listener} of every entry that leaves, on the fan-out task; {@code null} stops telling. */
    void onLeave(@Nullable Consumer<Member> listener) {
        onLeave = listener;
    }

    // ---- this node's entries (fan-out task) ------------------------------------------------------

    void localJoin(Member member) {
        if (add(member)) {
            if (untold.remove(member.id()) instanceof PresenceMessage.Leave) {
                return; // left and came back within the window: the other nodes still have the entry
            }
            tell(member.id(), PresenceMessage.Join.of(member));
        }
    }

    void localLeave(Member member) {
        if (remove(member.node(), member.id())) {
            if (untold.remove(member.id()) instanceof PresenceMessage.Join) {
                return; // joined and left within the window: the other nodes need not hear of it
            }
            tell(member.id(), new PresenceMessage.Leave(member.topic(), member.id()));
        }
    }

    /** Keeps an entry's change for the end of the window. */
    private void tell(String id, PresenceMessage change) {
        untold.put(id, change);
        if (!tellScheduled) {
            tellScheduled = true;
            afterWindow.accept(this::tellNow);
        }
    }

    /** Tells the other nodes this node's joins and leaves gathered so far. Fan-out task. */
    void tellNow() {
        tellScheduled = false;
        if (untold.isEmpty()) {
            return;
        }
        List<PresenceMessage> changes = List.copyOf(untold.values());
        untold.clear();
        changes.forEach(protocol);
    }

    private boolean add(Member member) {
        Map<String, Member> ofNode = byNode.computeIfAbsent(member.node(), node -> new HashMap<>());
        if (ofNode.containsKey(member.id())) {
            return false;
        }
        ofNode.put(member.id(), member);
        byTopic.computeIfAbsent(member.topic(), topic -> new ConcurrentHashMap<>()).put(member.id(), member);
        events.accept(event(member.topic(), PresenceEvent.Kind.JOIN, member.presence()));
        return true;
    }

    private boolean remove(String node, String id) {
        Map<String, Member> ofNode = byNode.get(node);
        Member member = ofNode == null ? null : ofNode.remove(id);
        if (ofNode == null || member == null) {
            return false;
        }
        if (ofNode.isEmpty() && !node.equals(nodeId)) {
            byNode.remove(node);
        }
        byTopic.computeIfPresent(member.topic(), (topic, members) -> {
            members.remove(id);
            return members.isEmpty() ? null : members;
        });
        events.accept(event(member.topic(), PresenceEvent.Kind.LEAVE, member.presence()));
        Consumer<Member> listener = onLeave;
        if (listener != null) {
            listener.accept(member);
        }
        return true;
    }

    // ---- the cluster protocol (fan-out task) ------------------------------------------------------

    /** Right after the transport starts: ask every node for its entries. */
    void joinCluster() {
        protocol.accept(new PresenceMessage.Sync(PresenceMessage.Sync.EVERYONE));
    }

    /** Every heartbeat: tell the others what we have, and forget the nodes gone silent. */
    void heartbeat(long nowNanos, long silentAfterNanos) {
        tellNow(); // the beat counts what was told
        Map<String, Member> own = byNode.getOrDefault(nodeId, Map.of());
        protocol.accept(new PresenceMessage.Beat(own.size(), digest(own)));
        for (String node : otherNodes()) {
            Long heard = lastHeard.get(node);
            if (heard == null || nowNanos - heard > silentAfterNanos) {
                forget(node, "has not been heard from for " + silentAfterNanos / 1_000_000 + " ms");
            }
        }
    }

    /** Every other node this one keeps anything about. */
    private Set<String> otherNodes() {
        Set<String> nodes = new HashSet<>(byNode.keySet());
        nodes.addAll(lastHeard.keySet());
        nodes.addAll(lastSyncAsked.keySet());
        nodes.addAll(partialStates.keySet());
        nodes.remove(nodeId);
        return nodes;
    }

    /** Removes a node's entries, as if each had left, and everything kept about it. */
    private void forget(String node, String why) {
        Map<String, Member> entries = byNode.get(node);
        if (entries != null && !entries.isEmpty()) {
            LOG.info("flow-pubsub: node {} {}: its {} presence entries are removed", Excerpt.of(node),
                    Excerpt.of(why), entries.size());
            for (String id : List.copyOf(entries.keySet())) {
                remove(node, id);
            }
        }
        byNode.remove(node);
        lastHeard.remove(node);
        lastSyncAsked.remove(node);
        partialStates.remove(node);
    }

    /** The engine says node {@code node} (an instance id) is gone: its entries go now, not after silent beats. */
    void nodeGone(String node) {
        if (!node.equals(nodeId)) {
            forget(node, "is gone, as the engine says");
        }
    }

    /** Other nodes this one keeps anything about; for tests of the bookkeeping. */
    int trackedNodes() {
        return otherNodes().size();
    }

    private static long digest(Map<String, Member> members) {
        long digest = 0;
        for (String id : members.keySet()) {
            digest += id.hashCode() * 31L + 7;
        }
        return digest;
    }

    /** A protocol message from another node, as its codec decoded it. */
    void onRemote(String origin, Object decoded, long nowNanos, long heartbeatNanos) {
        if (!(decoded instanceof Map<?, ?> fields) || !(fields.get("k") instanceof String)) {
            return; // not the protocol at all
        }
        if (!lastHeard.containsKey(origin)) {
            forgetEarlierStartsOf(origin);
        }
        lastHeard.put(origin, nowNanos); // heard, even if it is a kind of message this node does not know (newer)
        PresenceMessage message = PresenceMessage.fromWire(fields);
        if (message == null) {
            return;
        }
        switch (message) {
            case PresenceMessage.Join join -> add(join.member(origin));
            case PresenceMessage.Leave leave -> remove(origin, leave.id());
            case PresenceMessage.Beat beat -> {
                Map<String, Member> known = byNode.getOrDefault(origin, Map.of());
                boolean inStep = beat.count() == known.size() && beat.digest() == digest(known);
                Long asked = lastSyncAsked.get(origin);
                if (!inStep && (asked == null || nowNanos - asked > heartbeatNanos)) {
                    lastSyncAsked.put(origin, nowNanos);
                    protocol.accept(new PresenceMessage.Sync(origin));
                }
            }
            case PresenceMessage.Sync sync -> {
                if (sync.isFor(nodeId)) {
                    sendState();
                }
            }
            case PresenceMessage.State state -> onState(origin, state);
        }
    }

    /**
     * A node heard for the first time may be a restart of one known under the same configured id (its instance id
     * has a new epoch): the earlier start is gone, and so are its pages' entries.
     */
    private void forgetEarlierStartsOf(String origin) {
        String configured = configuredId(origin);
        for (String node : otherNodes()) {
            if (!node.equals(origin) && configuredId(node).equals(configured)) {
                forget(node, "restarted as " + origin);
            }
        }
    }

    private static String configuredId(String instanceId) {
        int separator = instanceId.lastIndexOf(Cluster.INSTANCE_SEPARATOR);
        return separator < 0 ? instanceId : instanceId.substring(0, separator);
    }

    private void sendState() {
        tellNow();
        List<Member> own = new ArrayList<>(byNode.getOrDefault(nodeId, Map.of()).values());
        int chunks = Math.max(1, (own.size() + maxMembersPerChunk - 1) / maxMembersPerChunk);
        String stateId = Long.toString(System.nanoTime(), 36);
        for (int chunk = 0; chunk < chunks; chunk++) {
            List<PresenceMessage.Join> members = own.subList(chunk * maxMembersPerChunk,
                    Math.min(own.size(), (chunk + 1) * maxMembersPerChunk)).stream().map(PresenceMessage.Join::of).toList();
            protocol.accept(new PresenceMessage.State(stateId, chunk, chunks, members));
        }
    }

    private void onState(String origin, PresenceMessage.State state) {
        PartialState partial = partialStates.get(origin);
        if (partial == null || !partial.stateId().equals(state.stateId())) {
            partial = new PartialState(state.stateId(), new ArrayList<>()); // a newer state replaces an unfinished one
            partialStates.put(origin, partial);
        }
        List<Member> collected = partial.members();
        for (PresenceMessage.Join join : state.members()) {
            collected.add(join.member(origin));
        }
        if (state.chunk() + 1 < state.chunks()) {
            return;
        }
        partialStates.remove(origin);
        Set<String> now = new HashSet<>();
        for (Member member : collected) {
            now.add(member.id());
            add(member);
        }
        for (String id : List.copyOf(byNode.getOrDefault(origin, Map.of()).keySet())) {
            if (!now.contains(id)) {
                remove(origin, id);
            }
        }
    }
}
