/**
 * The hub in Spring Boot's health: "pubsub" in the root {@code /actuator/health}, "pubsubTransport" for readiness
 * groups only ({@link dev.flowpubsub.spring.health.PubSubHealthContributorAutoConfiguration}).
 */
package dev.flowpubsub.spring.health;
