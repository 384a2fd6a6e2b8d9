package dev.flowpubsub;

import com.fasterxml.jackson.annotation.JacksonAnnotation;
import com.fasterxml.jackson.annotation.JacksonAnnotationsInside;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.annotation.JsonTypeIdResolver;
import tools.jackson.databind.annotation.JsonTypeResolver;

import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.lang.reflect.Constructor;
import java.lang.reflect.Executable;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Checks, once, when {@link JsonCodec#allowing(Class[])} is called, that Jackson can rebuild each allowed type only
 * from parts the application allowed, whatever the bytes say.
 *
 * <p>Jackson builds a record through its canonical constructor, so from the declared type of each component, and
 * through any other member the application marked with a Jackson annotation ({@code @JsonCreator},
 * {@code @JsonAnySetter}, ...), so from the declared type of each of its parameters. Each such type must be closed:
 * a built-in leaf, a primitive array, an enum, a record that is allowed too, or a {@code List}, {@code Set},
 * {@code Collection}, {@code Optional} or {@code Map<String, ...>} of such types. Anything open ({@code Object}, an
 * interface, an abstract class, a wildcard, a type variable) would let Jackson pick the class, and annotations that
 * choose the class or the deserializer ({@code @JsonTypeInfo} and its kin, {@code @JsonDeserialize}) would let the
 * bytes or code outside this check pick it: both are refused, with a message that says what to do.
 */
final class AllowedShapes {

    /** Built-in leaves: final JDK value types that Jackson 3 builds itself from a string or a number. */
    private static final Set<Class<?>> LEAVES = Set.of(String.class, Integer.class, Long.class, Short.class,
            Byte.class, Double.class, Float.class, Boolean.class, Character.class, BigDecimal.class, BigInteger.class,
            UUID.class, Instant.class, LocalDate.class, LocalTime.class, LocalDateTime.class, Duration.class);

    /** Containers Jackson fills with standard JDK classes; their type arguments are checked like components. */
    private static final Set<Class<?>> CONTAINERS = Set.of(List.class, Set.class, Collection.class, Optional.class,
            Map.class);

    /** Annotations that let the bytes, or a class outside this check, choose what Jackson builds. */
    private static final Set<Class<? extends Annotation>> TYPE_CHOOSERS = Set.of(JsonTypeInfo.class,
            JsonSubTypes.class, JsonTypeIdResolver.class, JsonTypeResolver.class, JsonDeserialize.class);

    private static final String CLOSED_TYPES = "declare an exact type, such as a String, a number, a boolean, a char, a UUID, "
            + "a java.time Instant, LocalDate, LocalTime, LocalDateTime or Duration, a primitive array, an enum, a "
            + "record you allow too, or a List, Set, Collection, Optional or Map<String, ...> of them";

    private final Set<Class<?>> allowed;
    private final Set<Class<?>> checked = new HashSet<>();
    /** The allowed type being checked, whose members are walked; set before each one. */
    private Class<?> outer = Object.class;

    private AllowedShapes(Set<Class<?>> allowed) {
        this.allowed = allowed;
    }

    /** @throws IllegalArgumentException naming the allowed type, the part that is not closed, and what to do */
    static void check(Collection<Class<?>> allowed) {
        AllowedShapes shapes = new AllowedShapes(Set.copyOf(allowed));
        for (Class<?> type : allowed) {
            shapes.outer = type;
            if (!type.isRecord() && !type.isEnum()) {
                throw shapes.refused("it is not a record or an enum, and the codec allows concrete classes whose "
                        + "whole shape it can check", "use a record");
            }
            shapes.checkMembers(type);
        }
    }

    /** A record's or enum's members, and those of the interfaces it implements (Jackson merges their annotations). */
    private void checkMembers(Class<?> type) {
        if (!checked.add(type)) {
            return;
        }
        RecordComponent[] components = type.isRecord() ? type.getRecordComponents() : new RecordComponent[0];
        List<AnnotatedElement> members = new ArrayList<>(List.of(type));
        members.addAll(Arrays.asList(type.getDeclaredFields()));
        members.addAll(Arrays.asList(type.getDeclaredMethods()));
        members.addAll(Arrays.asList(type.getDeclaredConstructors()));
        members.addAll(Arrays.asList(components));
        for (AnnotatedElement member : members) {
            checkAnnotations(member, member.getAnnotations());
            if (member instanceof Executable executable) {
                for (Parameter parameter : executable.getParameters()) {
                    checkAnnotations(parameter, parameter.getAnnotations());
                }
                if (isJacksonAnnotated(executable) && !isCanonical(executable)) {
                    for (Parameter parameter : executable.getParameters()) {
                        checkType(parameter.getParameterizedType(), parameter.getParameterizedType(), "the parameter '"
                                + parameter.getName() + "' of " + describe(executable) + ", which Jackson may call "
                                + "with values from the bytes,");
                    }
                }
            }
        }
        for (RecordComponent component : components) {
            checkType(component.getGenericType(), component.getGenericType(), "its component '" + component.getName() + "'");
        }
        for (Class<?> implemented : type.getInterfaces()) {
            checkMembers(implemented);
        }
    }

    private void checkAnnotations(AnnotatedElement where, Annotation[] annotations) {
        for (Annotation annotation : annotations) {
            Class<? extends Annotation> kind = annotation.annotationType();
            if (TYPE_CHOOSERS.contains(kind)) {
                throw refused(describe(where) + " carries @" + kind.getSimpleName() + ", which lets the bytes or "
                        + "a class the codec cannot check choose what Jackson builds", "remove it (the codec rebuilds "
                        + "declared types only; for a closed set of types, allow each record)");
            }
            if (kind.isAnnotationPresent(JacksonAnnotationsInside.class)) {
                checkAnnotations(where, kind.getAnnotations());
            }
        }
    }

    /** Checks {@code part}, which is {@code declared} or one of its type arguments, declared at {@code where}. */
    private void checkType(Type part, Type declared, String where) {
        if (part instanceof ParameterizedType generic && CONTAINERS.contains(generic.getRawType())) {
            Type[] arguments = generic.getActualTypeArguments();
            if (generic.getRawType() == Map.class && arguments[0] != String.class) {
                throw refused(at(where, declared, part) + ", a map whose keys are not Strings", "use Map<String, ...>");
            }
            checkType(arguments[arguments.length - 1], declared, where);
        } else if (part instanceof ParameterizedType || part instanceof Class<?>) {
            checkClass(part instanceof ParameterizedType generic ? (Class<?>) generic.getRawType() : (Class<?>) part,
                    at(where, declared, part));
        } else {
            throw refused(at(where, declared, part) + ", a type variable or a wildcard, whose class the codec "
                    + "cannot check", CLOSED_TYPES);
        }
    }

    private static String at(String where, Type declared, Type part) {
        return where + (part.equals(declared) ? " is " : " (" + declared.getTypeName() + ") holds ") + part.getTypeName();
    }

    private void checkClass(Class<?> type, String what) {
        if (type.isPrimitive() || LEAVES.contains(type) || (type.isArray() && type.getComponentType().isPrimitive())) {
            return;
        }
        if (CONTAINERS.contains(type)) {
            throw refused(what + ", without its type arguments", "declare them, such as List<String> or "
                    + "Map<String, Point>");
        }
        if (type.isEnum()) {
            checkMembers(type);
        } else if (type.isRecord()) {
            if (!allowed.contains(type)) {
                throw refused(what + ", a record that is not allowed", "allow " + type.getName() + " too, as in "
                        + "JsonCodec.allowing(" + outer.getSimpleName() + ".class, " + type.getSimpleName() + ".class)");
            }
        } else if (type.isArray()) {
            throw refused(what + ", an array of objects", "use a List<...>");
        } else if (CONTAINERS.stream().anyMatch(container -> container.isAssignableFrom(type))) {
            throw refused(what + ", a container class", "declare it as a List, Set, Collection, Optional or "
                    + "Map<String, ...>, which Jackson fills with standard JDK classes");
        } else if (type.isInterface() || Modifier.isAbstract(type.getModifiers()) || type == Object.class) {
            throw refused(what + ", an open type whose class the codec cannot check", CLOSED_TYPES);
        } else {
            throw refused(what + ", a class that is not a record", "use a record");
        }
    }

    private static boolean isCanonical(Executable executable) {
        Class<?> type = executable.getDeclaringClass();
        return type.isRecord() && executable instanceof Constructor<?> && Arrays.equals(executable.getParameterTypes(),
                Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class<?>[]::new));
    }

    /** Marked for Jackson, itself or through a parameter (a constructor whose parameters are all named is a creator). */
    private static boolean isJacksonAnnotated(Executable executable) {
        return Stream.concat(Stream.of(executable.getAnnotations()),
                        Stream.of(executable.getParameterAnnotations()).flatMap(Stream::of))
                .map(Annotation::annotationType).anyMatch(kind -> kind.isAnnotationPresent(JacksonAnnotation.class)
                        || kind.isAnnotationPresent(JacksonAnnotationsInside.class));
    }

    private static String describe(Object member) {
        return switch (member) {
            case Class<?> type -> "the type " + type.getName();
            case Executable executable -> executable.getDeclaringClass().getSimpleName() + "."
                    + (executable instanceof Constructor<?> ? "<init>" : executable.getName())
                    + (executable.getParameterCount() == 0 ? "()" : "(...)");
            case Parameter parameter -> "the parameter '" + parameter.getName() + "' of "
                    + describe(parameter.getDeclaringExecutable());
            case RecordComponent component -> "the component '" + component.getName() + "'";
            case Field field -> field.getDeclaringClass().getSimpleName() + "." + field.getName();
            default -> member.toString();
        };
    }

    private IllegalArgumentException refused(String problem, String fix) {
        return new IllegalArgumentException("cannot allow " + outer.getName() + ": " + problem + ": " + fix);
    }
}
