/**
 * The hub's meters for Spring Boot's metrics
 * ({@link dev.flowpubsub.spring.metrics.PubSubMetricsAutoConfiguration}).
 */
package dev.flowpubsub.spring.metrics;
