package dev.flowpubsub.spring;

import dev.flowpubsub.postgres.PostgresTransport;

/**
 * Adjusts the starter's {@link PostgresTransport} beyond its {@code pubsub.postgres.*} properties: every bean of this
 * type is applied, in {@code @Order}, after the properties, to the builder of the transport bean.
 *
 * <pre>{@code
 * @Bean
 * PostgresTransportBuilderCustomizer quickTrim() {
 *     return builder -> builder.retention(Duration.ofMinutes(1));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface PostgresTransportBuilderCustomizer {

    /** Called once, on the thread that creates the transport bean. */
    void customize(PostgresTransport.Builder builder);
}
