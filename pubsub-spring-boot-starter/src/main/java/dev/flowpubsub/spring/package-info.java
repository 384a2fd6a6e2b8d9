/**
 * Spring Boot auto-configuration for flow-pubsub: the {@link dev.flowpubsub.PubSubHub} as a bean, configured
 * from {@code pubsub.*} properties, with its meters and its health ("pubsub" in the root, "pubsubTransport" for
 * readiness groups).
 */
package dev.flowpubsub.spring;
