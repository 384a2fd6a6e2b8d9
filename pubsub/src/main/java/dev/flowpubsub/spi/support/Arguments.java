package dev.flowpubsub.spi.support;

import java.time.Duration;
import java.util.Objects;

/** Argument checks shared by the public API, so every call fails with the same clear words. */
public final class Arguments {

    private Arguments() {
    }

    /** A topic name: not null, not blank, without the NUL character (reserved for the hub's own topics). */
    public static String topic(String topic) {
        if (topic == null) {
            throw new NullPointerException("topic must not be null: pass a non-blank name such as \"chat\"");
        }
        if (topic.isBlank()) {
            throw new IllegalArgumentException(
                    "topic must not be blank: pass a non-blank name such as \"chat\" (got \"" + topic + "\")");
        }
        if (topic.indexOf('\u0000') >= 0) {
            throw new IllegalArgumentException("topic must not contain the NUL character (reserved for the hub's own topics)");
        }
        return topic;
    }

    /** A string that is neither null nor blank; {@code name} names the argument in the message. */
    public static String nonBlank(String value, String name) {
        Objects.requireNonNull(value, () -> name + " must not be null");
        if (value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
        return value;
    }

    /** A message to send: any object but {@code null}. */
    public static Object message(Object message) {
        return Objects.requireNonNull(message,
                "message must not be null: send any non-null object, such as a String or a record");
    }

    /** A handler: not null. */
    public static <T> T handler(T handler) {
        return Objects.requireNonNull(handler, "handler must not be null: pass a lambda such as message -> ...");
    }

    /** The class of the messages to receive: not null, and not a primitive type (its wrapper is what arrives). */
    public static <T> Class<T> type(Class<T> type) {
        Objects.requireNonNull(type, "type must not be null: pass the class of the messages to receive, such as String.class");
        if (type.isPrimitive()) {
            throw new IllegalArgumentException("type must not be a primitive type (got " + type.getName()
                    + "): messages are objects, pass its wrapper class such as Integer.class");
        }
        return type;
    }

    /** Any argument that must not be null; {@code name} names it in the message. */
    public static <T> T notNull(T value, String name) {
        return Objects.requireNonNull(value, () -> name + " must not be null");
    }

    /** A count of at least 1; {@code name} names it in the message. */
    public static int positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 (got " + value + ")");
        }
        return value;
    }

    /** A count of at least 1; {@code name} names it in the message. */
    public static long positive(long value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1 (got " + value + ")");
        }
        return value;
    }

    /** A duration of at least {@code least}. */
    public static Duration atLeast(Duration value, Duration least, String name) {
        notNull(value, name);
        if (value.compareTo(least) < 0) {
            throw new IllegalArgumentException(name + " must be at least " + describe(least) + " (got " + value + ")");
        }
        return value;
    }

    private static String describe(Duration duration) {
        if (duration.toMillis() % 1000 == 0) {
            long seconds = duration.toSeconds();
            return seconds == 1 ? "1 second" : seconds + " seconds";
        }
        return duration.toMillis() + " ms";
    }
}
