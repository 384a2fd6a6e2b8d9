package dev.flowpubsub.spring;

import dev.flowpubsub.redis.RedisTransport;

/**
 * Adjusts the starter's {@link RedisTransport} beyond its {@code pubsub.redis.*} properties: every bean of this type is
 * applied, in {@code @Order}, after the properties, to the builder of the transport bean.
 *
 * <pre>{@code
 * @Bean
 * RedisTransportBuilderCustomizer privateCa() {
 *     return builder -> builder.trustedCertificate(Path.of("/etc/ssl/redis-ca.pem"));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface RedisTransportBuilderCustomizer {

    /** Called once, on the thread that creates the transport bean. */
    void customize(RedisTransport.Builder builder);
}
