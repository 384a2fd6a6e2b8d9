/**
 * The hub's meters for Spring Boot's metrics
 * ({@link dev.flowpubsub.spring.metrics.PubSubMetricsAutoConfiguration}).
 */
@NullMarked
package dev.flowpubsub.spring.metrics;

import org.jspecify.annotations.NullMarked;
