package dev.flowpubsub.spring;

import dev.flowpubsub.postgres.PostgresTransport;

/**
 * Changes the builder of the starter's PostgreSQL transport after the {@code pubsub.postgres.*} properties are
 * applied; every bean of this type is applied, in {@code @Order}.
 *
 * <p>Threading: called once, while the context starts.
 */
@FunctionalInterface
public interface PostgresTransportBuilderCustomizer {

    void customize(PostgresTransport.Builder builder);
}
