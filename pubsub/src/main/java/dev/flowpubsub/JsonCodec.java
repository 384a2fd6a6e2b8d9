package dev.flowpubsub;

import dev.flowpubsub.internal.Arguments;
import dev.flowpubsub.spi.MessageCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.lang.reflect.Modifier;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The default {@link MessageCodec}: messages as JSON, with Jackson (which every Vaadin 25 application has).
 *
 * <p>It encodes strings, numbers, booleans and characters; lists, sets and string-keyed maps of encodable values;
 * and the classes the application allows, typically records and enums, whose fields are written and rebuilt by
 * their declared types. Each message is tagged with its type, and decoding builds only the built-in types and the
 * allowed classes: never a class named by the bytes themselves.
 *
 * <pre>{@code
 * PubSubHub.builder().transport(redis).codec(JsonCodec.allowing(ChatMessage.class, Presence.class)).install(service);
 * }</pre>
 *
 * <p>Thread-safe and immutable.
 */
public final class JsonCodec implements MessageCodec {

    private static final String TYPE = "t";
    private static final String VALUE = "v";

    private static final Map<Class<?>, String> SCALAR_NAMES = Map.ofEntries(
            Map.entry(String.class, "string"), Map.entry(Integer.class, "int"), Map.entry(Long.class, "long"),
            Map.entry(Short.class, "short"), Map.entry(Byte.class, "byte"), Map.entry(Double.class, "double"),
            Map.entry(Float.class, "float"), Map.entry(Boolean.class, "boolean"), Map.entry(Character.class, "char"),
            Map.entry(BigDecimal.class, "decimal"), Map.entry(BigInteger.class, "bigint"));

    private static final Map<String, Function<String, Object>> SCALAR_PARSERS = Map.ofEntries(
            Map.entry("string", s -> s), Map.entry("int", Integer::valueOf), Map.entry("long", Long::valueOf),
            Map.entry("short", Short::valueOf), Map.entry("byte", Byte::valueOf), Map.entry("double", Double::valueOf),
            Map.entry("float", Float::valueOf), Map.entry("boolean", JsonCodec::parseBoolean),
            Map.entry("char", JsonCodec::parseChar), Map.entry("decimal", BigDecimal::new),
            Map.entry("bigint", BigInteger::new));

    private final JsonMapper mapper = JsonMapper.builder().build();
    private final Map<String, Class<?>> allowedByName;

    private JsonCodec(Collection<Class<?>> allowed) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> type : allowed) {
            Arguments.notNull(type, "allowed type");
            if (type.isInterface() || type.isPrimitive() || type.isArray()
                    || (Modifier.isAbstract(type.getModifiers()) && !type.isEnum())) {
                throw new IllegalArgumentException("cannot allow " + type.getName()
                        + ": allow concrete classes such as records and enums, whose exact class is rebuilt");
            }
            if (SCALAR_NAMES.containsKey(type)) {
                continue;
            }
            byName.put(type.getName(), type);
        }
        this.allowedByName = Map.copyOf(byName);
    }

    /** A codec for the built-in types and the given classes (records, enums, or other Jackson-mappable classes). */
    public static JsonCodec allowing(Class<?>... types) {
        return new JsonCodec(List.of(types));
    }

    /** Like {@link #allowing(Class[])}, for a collection of classes. */
    public static JsonCodec allowing(Collection<Class<?>> types) {
        return new JsonCodec(List.copyOf(types));
    }

    /** The classes this codec allows beyond the built-in ones. */
    public Set<Class<?>> allowedTypes() {
        return Set.copyOf(allowedByName.values());
    }

    @Override
    public byte[] encode(Object message) {
        Arguments.message(message);
        try {
            return mapper.writeValueAsBytes(tagged(message, message));
        } catch (JacksonException e) {
            throw new IllegalArgumentException("cannot encode a message of type " + message.getClass().getName()
                    + ": " + e.getOriginalMessage(), e);
        }
    }

    private JsonNode tagged(Object value, Object message) {
        if (value == null) {
            return mapper.nullNode();
        }
        ObjectNode node = mapper.createObjectNode();
        Class<?> type = value.getClass();
        String scalar = SCALAR_NAMES.get(type);
        if (scalar != null) {
            node.put(TYPE, scalar);
            node.put(VALUE, value.toString());
        } else if (allowedByName.get(type.getName()) == type) {
            node.put(TYPE, type.getName());
            node.set(VALUE, mapper.valueToTree(value));
        } else if (value instanceof List<?> || value instanceof Set<?>) {
            ArrayNode items = node.putArray(VALUE);
            for (Object item : (Collection<?>) value) {
                items.add(tagged(item, message));
            }
            node.put(TYPE, value instanceof List<?> ? "list" : "set");
        } else if (value instanceof Map<?, ?> map) {
            ObjectNode entries = mapper.createObjectNode();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw notEncodable(message, "its map has a key of type "
                            + (entry.getKey() == null ? "null" : entry.getKey().getClass().getName()) + ", only String keys are");
                }
                entries.set(key, tagged(entry.getValue(), message));
            }
            node.put(TYPE, "map");
            node.set(VALUE, entries);
        } else {
            throw notEncodable(message, value == message ? "" : "it contains a " + type.getName());
        }
        return node;
    }

    private IllegalArgumentException notEncodable(Object message, String detail) {
        return new IllegalArgumentException("cannot send a message of type " + message.getClass().getName()
                + " across nodes" + (detail.isEmpty() ? "" : " (" + detail + ")")
                + ": the codec encodes strings, numbers, booleans, lists, sets and String-keyed maps of them, and the "
                + "classes you allow, such as JsonCodec.allowing(" + message.getClass().getSimpleName() + ".class)"
                + " or the pubsub.allowed-types property; allowed now: " + allowedByName.keySet());
    }

    @Override
    public Object decode(byte[] payload) {
        Arguments.notNull(payload, "payload");
        JsonNode root;
        try {
            root = mapper.readTree(payload);
        } catch (JacksonException e) {
            throw new IllegalArgumentException("payload is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isNull() || root.isMissingNode()) {
            throw new IllegalArgumentException("payload is empty or null");
        }
        return untagged(root);
    }

    private Object untagged(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (!node.isObject() || !node.has(TYPE) || !node.get(TYPE).isString() || !node.has(VALUE)) {
            throw new IllegalArgumentException("not a tagged value {\"t\":type,\"v\":value}");
        }
        String type = node.get(TYPE).stringValue();
        JsonNode value = node.get(VALUE);
        Function<String, Object> parser = SCALAR_PARSERS.get(type);
        if (parser != null) {
            if (!value.isString()) {
                throw new IllegalArgumentException("value of type " + type + " is not a string");
            }
            try {
                return parser.apply(value.stringValue());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("malformed " + type + ": " + e.getMessage(), e);
            }
        }
        switch (type) {
            case "list", "set" -> {
                if (!value.isArray()) {
                    throw new IllegalArgumentException(type + " value is not an array");
                }
                List<Object> items = new ArrayList<>(value.size());
                for (JsonNode item : value) {
                    items.add(untagged(item));
                }
                return type.equals("list") ? Collections.unmodifiableList(items)
                        : Collections.unmodifiableSet(new LinkedHashSet<>(items));
            }
            case "map" -> {
                if (!value.isObject()) {
                    throw new IllegalArgumentException("map value is not an object");
                }
                Map<String, Object> entries = new LinkedHashMap<>();
                for (Map.Entry<String, JsonNode> entry : value.properties()) {
                    entries.put(entry.getKey(), untagged(entry.getValue()));
                }
                return Collections.unmodifiableMap(entries);
            }
            default -> {
                Class<?> allowed = allowedByName.get(type);
                if (allowed == null) {
                    throw new IllegalArgumentException("type '" + abbreviate(type) + "' is not allowed by this node's codec");
                }
                try {
                    return mapper.treeToValue(value, allowed);
                } catch (JacksonException e) {
                    throw new IllegalArgumentException("malformed " + type + ": " + e.getOriginalMessage(), e);
                }
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "...";
    }

    private static Object parseBoolean(String text) {
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean: " + abbreviate(text));
        };
    }

    private static Object parseChar(String text) {
        if (text.length() != 1) {
            throw new IllegalArgumentException("not one character");
        }
        return text.charAt(0);
    }

    @Override
    public String toString() {
        return "JsonCodec" + allowedByName.keySet();
    }
}
