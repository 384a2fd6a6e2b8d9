package dev.flowpubsub.spring.health;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.spring.PubSubAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The hub's health, with Spring Boot's health support (Actuator) and a {@link PubSubHub} bean (the starter's or the
 * application's own): two indicators, named as Spring Boot names contributors, after their beans without the
 * {@code HealthIndicator} suffix.
 * <ul>
 * <li>{@code pubsub} ({@link PubSubHealthIndicator}), in the root {@code /actuator/health}: DOWN only when the hub
 * is closed; the transport's state is in its details, since pages on one server still get each other's messages
 * when Redis is away.</li>
 * <li>{@code pubsubTransport} ({@link PubSubTransportHealthIndicator}): DOWN while the transport cannot reach its
 * engine. It is never counted in the root {@code /actuator/health}, only in the groups that include it, such as
 * {@code management.endpoint.health.group.readiness.include=readinessState,pubsubTransport}. Spring Boot has no
 * property that keeps a contributor out of the root, so a {@link HealthEndpointGroupsPostProcessor} bean
 * ({@code pubsubTransportOutOfRootHealth}) makes the root group leave it out; as a side effect it has no path of
 * its own at the root ({@code /actuator/health/pubsubTransport} is 404), but has one in each group that includes
 * it ({@code /actuator/health/readiness/pubsubTransport}). See DECISIONS.md, 2026-11-30.</li>
 * </ul>
 * A bean of either name replaces that indicator.
 */
@AutoConfiguration(after = PubSubAutoConfiguration.class)
@ConditionalOnClass({PubSubHub.class, HealthIndicator.class})
@ConditionalOnBean(PubSubHub.class)
public class PubSubHealthContributorAutoConfiguration {

    /** The name of {@link PubSubTransportHealthIndicator} among the health contributors. */
    static final String TRANSPORT_HEALTH = "pubsubTransport";

    /** UP while the hub is open; in the root {@code /actuator/health}. */
    @Bean
    @ConditionalOnMissingBean(name = "pubsubHealthIndicator")
    HealthIndicator pubsubHealthIndicator(PubSubHub hub) {
        return new PubSubHealthIndicator(hub);
    }

    /**
     * DOWN while the transport cannot reach its engine; for readiness groups. Present with or without a
     * transport, so a group that includes it starts on every server.
     */
    @Bean
    @ConditionalOnMissingBean(name = TRANSPORT_HEALTH + "HealthIndicator")
    HealthIndicator pubsubTransportHealthIndicator(PubSubHub hub) {
        return new PubSubTransportHealthIndicator(hub);
    }

    /** With Actuator's health endpoint: "pubsubTransport" is counted only in the groups that include it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthEndpointGroupsPostProcessor.class, AdditionalPathsMapper.class})
    static class OutOfRoot {

        @Bean
        HealthEndpointGroupsPostProcessor pubsubTransportOutOfRootHealth() {
            return groups -> new RootExcludingHealthEndpointGroups(groups, TRANSPORT_HEALTH);
        }
    }
}
