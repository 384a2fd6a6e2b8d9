/**
 * Spring Boot auto-configuration for flow-pubsub: the {@link dev.flowpubsub.PubSubHub} as a bean, configured
 * from {@code pubsub.*} properties.
 */
package dev.flowpubsub.spring;
