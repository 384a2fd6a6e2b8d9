package dev.flowpubsub.spring;

import org.springframework.boot.context.properties.PropertyMapper;

import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Names the property when a builder refuses a value copied from it. The starter copies properties onto the hub's and
 * the transports' builders with Spring Boot's {@link PropertyMapper}, whose targets are wrapped here, so that a
 * refusal ({@link IllegalArgumentException}) fails the startup with a
 * {@link PubSubConfigurationException.InvalidProperty} that names the property, not the builder's setting.
 *
 * <pre>{@code
 * map.from(redis::getStream).to(property("pubsub.redis.stream", builder::stream));
 * }</pre>
 *
 * <p>Stateless; used on the thread that creates the beans.
 */
final class BuilderProperties {

    private BuilderProperties() {
    }

    /** {@code setter}, refusing a value with an {@link PubSubConfigurationException.InvalidProperty} on {@code name}. */
    static <T> Consumer<T> property(String name, Consumer<T> setter) {
        return value -> {
            try {
                setter.accept(value);
            } catch (IllegalArgumentException refusal) {
                throw PubSubConfigurationException.InvalidProperty.refused(name, refusal);
            }
        };
    }

    /** What {@code make} makes of property {@code name}, refusing it with an {@link PubSubConfigurationException.InvalidProperty}. */
    static <T> T refusing(String name, Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException refusal) {
            throw PubSubConfigurationException.InvalidProperty.refused(name, refusal);
        }
    }

    /**
     * What {@code build} builds, refusing settings that the builder checks only together (such as a poll interval
     * shorter than the command timeout) with an {@link PubSubConfigurationException.InvalidProperty} under
     * {@code prefix}. A customizer's setting is reported as the property it overrides.
     */
    static <T> T build(String prefix, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException refusal) {
            throw PubSubConfigurationException.InvalidProperty.refusedTogether(prefix, refusal);
        }
    }
}
