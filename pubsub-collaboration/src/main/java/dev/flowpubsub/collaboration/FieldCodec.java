package dev.flowpubsub.collaboration;

import com.vaadin.flow.function.SerializableFunction;
import org.jspecify.annotations.Nullable;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * How one shared field's value is written as text in the item's shared map, and read back: {@code ""} for an empty
 * (null) value, {@code "="} followed by the value's text otherwise. Values are read back only into the type the
 * field declared (a built-in value type, the field's own enum, or what the application's own functions make), never
 * into a class the text names.
 *
 * <p>Threading: immutable, any thread.
 *
 * @param <V> the field's value type
 */
final class FieldCodec<V> implements Serializable {

    private static final Map<Class<?>, SerializableFunction<String, ?>> BUILT_IN = Map.ofEntries(
            Map.entry(String.class, text -> text),
            Map.entry(Boolean.class, FieldCodec::bool),
            Map.entry(Integer.class, Integer::valueOf),
            Map.entry(Long.class, Long::valueOf),
            Map.entry(Double.class, Double::valueOf),
            Map.entry(Float.class, Float::valueOf),
            Map.entry(BigDecimal.class, FieldCodec::decimal),
            Map.entry(BigInteger.class, FieldCodec::integer),
            Map.entry(LocalDate.class, LocalDate::parse),
            Map.entry(LocalTime.class, LocalTime::parse),
            Map.entry(LocalDateTime.class, LocalDateTime::parse),
            Map.entry(Instant.class, Instant::parse),
            Map.entry(UUID.class, UUID::fromString));

    /** The most digits (and characters, and scale) of a big number read back. */
    private static final int MAX_DIGITS = 1000;

    private final String type;
    private final SerializableFunction<? super V, String> toText;
    private final SerializableFunction<String, ? extends V> fromText;

    private FieldCodec(String type, SerializableFunction<? super V, String> toText,
                       SerializableFunction<String, ? extends V> fromText) {
        this.type = type;
        this.toText = toText;
        this.fromText = fromText;
    }

    /** Whether {@link #of} knows {@code type} by itself. */
    static boolean knows(Class<?> type) {
        return BUILT_IN.containsKey(type) || type.isEnum();
    }

    /**
     * The codec of a built-in value type or an enum.
     *
     * @throws IllegalArgumentException for another type, saying what to do
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static <V> FieldCodec<V> of(Class<V> type) {
        Objects.requireNonNull(type, "type");
        if (type.isEnum()) {
            Class<? extends Enum> enumType = (Class<? extends Enum>) type;
            return new FieldCodec<>(type.getName(), value -> ((Enum<?>) value).name(),
                    text -> (V) Enum.valueOf(enumType, text));
        }
        SerializableFunction<String, ?> parse = BUILT_IN.get(type);
        if (parse == null) {
            throw new IllegalArgumentException("a shared field's value cannot be a " + type.getName()
                    + ": share a String, a number, a Boolean, a UUID, a java.time date or time, or an enum, or give "
                    + "the field its own text with shareAs(field, toText, fromText) (for example an entity's id)");
        }
        return new FieldCodec<>(type.getName(), String::valueOf, (SerializableFunction<String, V>) parse);
    }

    /** A codec made of the application's own functions. */
    static <V> FieldCodec<V> custom(SerializableFunction<? super V, String> toText,
                                    SerializableFunction<String, ? extends V> fromText) {
        return new FieldCodec<>("text", Objects.requireNonNull(toText, "toText"),
                Objects.requireNonNull(fromText, "fromText"));
    }

    String write(@Nullable V value) {
        return value == null ? "" : "=" + toText.apply(value);
    }

    /**
     * The value {@code text} holds, or {@code empty} for an empty one.
     *
     * @throws IllegalArgumentException if it is not a value of this codec's type
     */
    @Nullable V read(String text, @Nullable V empty) {
        if (text.isEmpty()) {
            return empty;
        }
        if (text.charAt(0) != '=') {
            throw new IllegalArgumentException("not a shared field value");
        }
        try {
            return fromText.apply(text.substring(1));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a " + type, e);
        }
    }

    /**
     * Big numbers of bounded size, as the hub's codec bounds them: another page's field would otherwise be handed
     * {@code 1E999999999}, which Vaadin's {@code BigDecimalField} writes out digit by digit.
     */
    private static BigDecimal decimal(String text) {
        BigDecimal decimal = new BigDecimal(bounded(text));
        if (Math.abs(decimal.scale()) > MAX_DIGITS || decimal.precision() > MAX_DIGITS) {
            throw new IllegalArgumentException("a decimal of more than " + MAX_DIGITS + " digits or scale");
        }
        return decimal;
    }

    private static BigInteger integer(String text) {
        return new BigInteger(bounded(text));
    }

    private static String bounded(String text) {
        if (text.length() > MAX_DIGITS) {
            throw new IllegalArgumentException("a number of more than " + MAX_DIGITS + " characters");
        }
        return text;
    }

    private static Boolean bool(String text) {
        return switch (text) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException("not a boolean");
        };
    }
}
