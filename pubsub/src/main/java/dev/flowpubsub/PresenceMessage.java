package dev.flowpubsub;

import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The presence protocol between nodes, one record per message (see {@link Presences} for what each is for). On the
 * wire each is a string-keyed map that the hub's codec encodes; the keys are those of the first release, so nodes of
 * both can run side by side.
 */
sealed interface PresenceMessage {

    /** Someone present on a topic, owned by the sending node. */
    record Join(String topic, String id, Object descriptor, long joinedAt) implements PresenceMessage {

        static Join of(Presences.Member member) {
            return new Join(member.topic(), member.id(), member.descriptor(), member.joinedAt());
        }

        Presences.Member member(String node) {
            return new Presences.Member(topic, id, descriptor, joinedAt, node);
        }

        @Override
        public Map<String, Object> toWire() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("k", "join");
            fields.put("topic", topic);
            fields.put("id", id);
            fields.put("d", descriptor);
            fields.put("at", joinedAt);
            return fields;
        }

        private static @Nullable Join read(Map<?, ?> fields) {
            if (fields.get("topic") instanceof String topic && fields.get("id") instanceof String id
                    && fields.get("at") instanceof Long joinedAt && fields.get("d") != null) {
                return new Join(topic, id, fields.get("d"), joinedAt);
            }
            return null;
        }
    }

    /** An entry of the sending node ended. */
    record Leave(String topic, String id) implements PresenceMessage {
        @Override
        public Map<String, Object> toWire() {
            return Map.of("k", "leave", "topic", topic, "id", id);
        }
    }

    /** Every heartbeat: how many entries the sending node has, and a digest of their ids. */
    record Beat(long count, long digest) implements PresenceMessage {
        @Override
        public Map<String, Object> toWire() {
            return Map.of("k", "beat", "n", count, "h", digest);
        }
    }

    /** Asks one node ({@code to}, an instance id) or every node ({@code "*"}) for its whole state. */
    record Sync(String to) implements PresenceMessage {
        static final String EVERYONE = "*";

        boolean isFor(String node) {
            return EVERYONE.equals(to) || node.equals(to);
        }

        @Override
        public Map<String, Object> toWire() {
            return Map.of("k", "sync", "to", to);
        }
    }

    /** One chunk ({@code chunk} of {@code chunks}) of the sending node's whole state, answering a {@link Sync}. */
    record State(String stateId, long chunk, long chunks, List<Join> members) implements PresenceMessage {
        @Override
        public Map<String, Object> toWire() {
            return Map.of("k", "state", "sid", stateId, "i", chunk, "of", chunks,
                    "m", members.stream().map(Join::toWire).toList());
        }
    }

    /** The map the codec encodes. */
    Map<String, Object> toWire();

    /** What another node sent, or {@code null} if it is malformed or of a kind this node does not know (newer). */
    static @Nullable PresenceMessage fromWire(Object decoded) {
        if (!(decoded instanceof Map<?, ?> fields) || !(fields.get("k") instanceof String kind)) {
            return null;
        }
        return switch (kind) {
            case "join" -> Join.read(fields);
            case "leave" -> fields.get("topic") instanceof String topic && fields.get("id") instanceof String id
                    ? new Leave(topic, id) : null;
            case "beat" -> fields.get("n") instanceof Long count && fields.get("h") instanceof Long digest
                    ? new Beat(count, digest) : null;
            case "sync" -> fields.get("to") instanceof String to ? new Sync(to) : null;
            case "state" -> readState(fields);
            default -> null;
        };
    }

    private static @Nullable State readState(Map<?, ?> fields) {
        if (!(fields.get("sid") instanceof String stateId) || !(fields.get("i") instanceof Long chunk)
                || !(fields.get("of") instanceof Long chunks) || !(fields.get("m") instanceof List<?> members)) {
            return null;
        }
        List<Join> joins = new ArrayList<>(members.size());
        for (Object each : members) {
            Join join = each instanceof Map<?, ?> memberFields ? Join.read(memberFields) : null;
            if (join != null) {
                joins.add(join);
            }
        }
        return new State(stateId, chunk, chunks, joins);
    }
}
