package dev.flowpubsub.collaboration;

import org.jspecify.annotations.Nullable;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * How users and messages cross servers: as String-keyed maps of strings and numbers, which the hub's default codec
 * carries and decodes with no {@code pubsub.allowed-types}. What is read back is checked here; anything else (a
 * message another part of the application sent on the same topic, a map from an older version) reads as null and
 * is skipped by the caller.
 *
 * <p>Threading: pure functions, any thread.
 */
final class Wire {

    /** The longest message text posted or read back. */
    static final int MAX_TEXT = 100_000;

    private Wire() {
    }

    static Map<String, Object> user(UserInfo user) {
        Map<String, Object> map = new HashMap<>();
        map.put("id", user.id());
        map.put("name", user.name());
        if (user.image() != null) {
            map.put("image", user.image());
        }
        if (user.abbreviation() != null) {
            map.put("abbreviation", user.abbreviation());
        }
        map.put("colorIndex", user.colorIndex());
        return Map.copyOf(map);
    }

    static @Nullable UserInfo user(@Nullable Object read) {
        if (!(read instanceof Map<?, ?> map)) {
            return null;
        }
        String id = string(map.get("id"));
        String name = string(map.get("name"));
        if (id == null || id.isBlank() || name == null || name.isBlank()
                || !(map.get("colorIndex") instanceof Number color) || color.intValue() < 0) {
            return null;
        }
        return new UserInfo(id, name, string(map.get("image")), string(map.get("abbreviation")), color.intValue());
    }

    static Map<String, Object> message(PostedMessage message) {
        return Map.of("kind", "flow-pubsub/message", "id", message.id(), "topic", message.topic(),
                "author", user(message.author()), "text", message.text(), "time", message.time().toEpochMilli());
    }

    static @Nullable PostedMessage message(@Nullable Object read) {
        if (!(read instanceof Map<?, ?> map) || !"flow-pubsub/message".equals(map.get("kind"))) {
            return null;
        }
        String id = string(map.get("id"));
        String topic = string(map.get("topic"));
        String text = string(map.get("text"));
        UserInfo author = user(map.get("author"));
        if (id == null || topic == null || text == null || text.length() > MAX_TEXT || author == null
                || !(map.get("time") instanceof Number time)) {
            return null;
        }
        return new PostedMessage(id, topic, author, text, Instant.ofEpochMilli(time.longValue()));
    }

    private static @Nullable String string(@Nullable Object value) {
        return value instanceof String string ? string : null;
    }
}
