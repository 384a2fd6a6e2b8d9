/**
 * The hub in Spring Boot's health: "pubsub" in the root {@code /actuator/health}, "pubsubTransport" for readiness
 * groups only ({@link dev.flowpubsub.spring.health.PubSubHealthContributorAutoConfiguration}).
 */
@NullMarked
package dev.flowpubsub.spring.health;

import org.jspecify.annotations.NullMarked;
