package dev.flowpubsub.spring;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubHubBuilder;

/**
 * Adjusts the starter's {@link PubSubHub} beyond its {@code pubsub.*} properties: every bean of this type is applied,
 * in {@code @Order}, after the properties, to the builder of the hub bean.
 *
 * <pre>{@code
 * @Bean
 * PubSubHubBuilderCustomizer slowPages() {
 *     return builder -> builder.queueCapacity(256).minBatchInterval(Duration.ofMillis(100));
 * }
 * }</pre>
 */
@FunctionalInterface
public interface PubSubHubBuilderCustomizer {

    /** Called once, on the thread that creates the hub bean. */
    void customize(PubSubHubBuilder builder);
}
