/**
 * Spring Boot auto-configuration for flow-pubsub: the {@link dev.flowpubsub.PubSubHub} as a bean, configured
 * from {@code pubsub.*} properties ({@link dev.flowpubsub.spring.PubSubAutoConfiguration}), on Redis or PostgreSQL
 * when one is configured. Its health is in {@link dev.flowpubsub.spring.health}, its meters in
 * {@link dev.flowpubsub.spring.metrics}. The public types are the properties, the auto-configuration and the
 * builder customizers; the rest is package-private.
 */
@NullMarked
package dev.flowpubsub.spring;

import org.jspecify.annotations.NullMarked;
