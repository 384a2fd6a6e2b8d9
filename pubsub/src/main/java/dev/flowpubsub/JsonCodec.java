package dev.flowpubsub;

import dev.flowpubsub.spi.MessageCodec;
import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The default {@link MessageCodec}: messages as JSON, with Jackson (which every Vaadin 25 application has).
 *
 * <p>Nothing read from a network engine is decoded into a class that is not allowed. A message is one of the
 * built-in types (a String, a boxed number, a Boolean, a Character, a BigDecimal or a BigInteger), a list, set or
 * String-keyed map of messages, or an instance of a record or enum the application allowed. Each message is tagged
 * with its type, and decoding builds only the built-in types and the allowed classes: never a class named by the
 * bytes themselves. Jackson rebuilds an allowed record by the declared types of its components, so
 * {@link #allowing(Class[])} checks each allowed type's whole shape once, when it is called, and refuses what would
 * let Jackson build anything else:
 * <ul>
 *   <li>allowed types are records or enums (any other class: use a record);</li>
 *   <li>each record component, and each parameter of a member marked with a Jackson annotation such as
 *       {@code @JsonCreator}, has a closed type: a primitive, String, boxed number, Boolean, Character, BigDecimal,
 *       BigInteger, UUID, {@code java.time} Instant, LocalDate, LocalTime, LocalDateTime or Duration, a primitive
 *       array, an enum, a record that is allowed too, or a List, Set, Collection, Optional or
 *       {@code Map<String, ...>} of closed types. Object, interfaces, abstract classes, concrete collection classes,
 *       wildcards, type variables and arrays of objects (use a List) are refused: they would let Jackson pick the
 *       class. OffsetDateTime and ZonedDateTime are left out because Jackson does not give back the offset they were
 *       sent with; send an Instant;</li>
 *   <li>no annotation that lets the bytes or another class choose what is built: {@code @JsonTypeInfo},
 *       {@code @JsonSubTypes}, {@code @JsonTypeIdResolver}, {@code @JsonTypeResolver} or {@code @JsonDeserialize},
 *       on the type, its members, their parameters or the interfaces it implements, directly or inside an
 *       annotation marked {@code @JacksonAnnotationsInside}.</li>
 * </ul>
 * The codec's own mapper has default typing off, no mix-ins and no modules beyond Jackson's built-in ones, and
 * writes values by their declared types, so what is sent has exactly the checked shape.
 *
 * <p>Limits, so that hostile bytes cost little: Jackson's default read limits (nesting depth 500, numbers of
 * 1,000 characters, strings of 100,000,000 characters, property names of 50,000 characters), set on this codec's
 * mapper so that a JVM-wide {@code StreamReadConstraints.overrideDefaultStreamReadConstraints} cannot loosen them;
 * numbers sent as text (int, long, short, byte, float, double, decimal, bigint) of at most 1,000 characters, and
 * decimals whose exponent (scale) is within &plusmn;1,000; such a number over these limits is refused when it is
 * sent, as the other nodes would refuse it.
 * Refusals quote text from the bytes only as a one-line excerpt of at most 100 characters, and carry no cause
 * (Jackson's and the JDK's messages may quote the input in full).
 *
 * <pre>{@code
 * PubSubHub.builder().transport(redis).codec(JsonCodec.allowing(ChatMessage.class, Mood.class)).install(service);
 * }</pre>
 *
 * <p>Thread-safe and immutable.
 */
@NullMarked
public final class JsonCodec implements MessageCodec {

    private static final String TYPE = "t";
    private static final String VALUE = "v";

    /** Jackson 3's default read limits, pinned here so that a JVM-wide override cannot loosen them. */
    private static final StreamReadConstraints READ_LIMITS = StreamReadConstraints.builder().maxNestingDepth(500)
            .maxNumberLength(1_000).maxStringLength(100_000_000).maxNameLength(50_000).build();
    private static final int MAX_NUMBER_LENGTH = READ_LIMITS.getMaxNumberLength();
    private static final Map<Class<?>, String> SCALAR_NAMES = Map.ofEntries(
            Map.entry(String.class, "string"), Map.entry(Integer.class, "int"), Map.entry(Long.class, "long"),
            Map.entry(Short.class, "short"), Map.entry(Byte.class, "byte"), Map.entry(Double.class, "double"),
            Map.entry(Float.class, "float"), Map.entry(Boolean.class, "boolean"), Map.entry(Character.class, "char"),
            Map.entry(BigDecimal.class, "decimal"), Map.entry(BigInteger.class, "bigint"));

    private static final Map<String, Function<String, Object>> SCALAR_PARSERS = Map.ofEntries(
            Map.entry("string", s -> s), Map.entry("int", number(Integer::valueOf)),
            Map.entry("long", number(Long::valueOf)), Map.entry("short", number(Short::valueOf)),
            Map.entry("byte", number(Byte::valueOf)), Map.entry("double", number(Double::valueOf)),
            Map.entry("float", number(Float::valueOf)), Map.entry("boolean", JsonCodec::parseBoolean),
            Map.entry("char", JsonCodec::parseChar), Map.entry("decimal", number(JsonCodec::parseDecimal)),
            Map.entry("bigint", number(BigInteger::new)));

    /* Default typing is off and mix-ins are none (a built Jackson 3 mapper cannot be given any), so the allowed
       types' own annotations, checked by AllowedShapes, are all that steer it. Static typing: values are written by
       their declared, checked types, never by a runtime class that slipped into a generic container. */
    private final JsonMapper mapper = JsonMapper.builder(JsonFactory.builder().streamReadConstraints(READ_LIMITS).build())
            .deactivateDefaultTyping().enable(MapperFeature.USE_STATIC_TYPING).build();
    private final Map<String, Class<?>> allowedByName;

    private JsonCodec(Collection<Class<?>> allowed) {
        Map<String, Class<?>> byName = new LinkedHashMap<>();
        for (Class<?> type : allowed) {
            Arguments.notNull(type, "allowed type");
            if (!SCALAR_NAMES.containsKey(type)) {
                byName.put(type.getName(), type);
            }
        }
        AllowedShapes.check(byName.values());
        this.allowedByName = Map.copyOf(byName);
    }

    /**
     * A codec for the built-in types and the given records and enums.
     *
     * @throws IllegalArgumentException if a type is not a record or an enum, or its shape is not closed (see the
     *                                  class description); the message names the type, the part and what to do
     */
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
        // an enum constant with a body is an instance of its own subclass: the enum is what was allowed
        Class<?> type = value instanceof Enum<?> constant ? constant.getDeclaringClass() : value.getClass();
        String scalar = SCALAR_NAMES.get(type);
        if (scalar != null) {
            String text = value.toString();
            try {
                // what the other nodes would refuse is refused here, at the send: parsed only to be checked
                var unused = Objects.requireNonNull(SCALAR_PARSERS.get(scalar)).apply(text);
            } catch (IllegalArgumentException overLimit) {
                throw new IllegalArgumentException("cannot send a message of type " + message.getClass().getName()
                        + " across nodes: its " + scalar + " is out of the codec's limits (" + overLimit.getMessage() + ")");
            }
            node.put(TYPE, scalar);
            node.put(VALUE, text);
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
            throw notEncodable(message, value.equals(message) ? "" : "it contains a " + type.getName());
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
            throw new IllegalArgumentException("payload is not JSON within the codec's limits: "
                    + Excerpt.of(e.getOriginalMessage()));
        }
        Object message = root == null || root.isMissingNode() ? null : untagged(root);
        if (message == null) {
            throw new IllegalArgumentException("payload is empty or null");
        }
        return message;
    }

    /** Decoding refusals carry no cause: Jackson's and the JDK's messages may quote the bytes in full. */
    private @Nullable Object untagged(JsonNode node) {
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
                throw new IllegalArgumentException("malformed " + type + ": " + Excerpt.of(e.getMessage()));
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
                    throw new IllegalArgumentException("type '" + Excerpt.of(type) + "' is not allowed by this node's codec");
                }
                try {
                    return mapper.treeToValue(value, allowed);
                } catch (JacksonException e) {
                    throw new IllegalArgumentException("malformed " + type + ": " + Excerpt.of(e.getOriginalMessage()));
                }
            }
        }
    }

    /** Number text is refused over Jackson's number length limit, before parsing it costs anything. */
    private static Function<String, Object> number(Function<String, Object> parser) {
        return text -> {
            if (text.length() > MAX_NUMBER_LENGTH) {
                throw new IllegalArgumentException(text.length() + " characters, over the limit of " + MAX_NUMBER_LENGTH);
            }
            return parser.apply(text);
        };
    }

    /** A short decimal can still be huge (1e999999999): its exponent is held to the same limit as its length. */
    private static Object parseDecimal(String text) {
        BigDecimal decimal = new BigDecimal(text);
        if (Math.abs((long) decimal.scale()) > MAX_NUMBER_LENGTH) {
            throw new IllegalArgumentException("exponent " + -(long) decimal.scale() + ", over the limit of "
                    + MAX_NUMBER_LENGTH + " either way");
        }
        return decimal;
    }

    private static Object parseBoolean(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("expected true or false");
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
