package dev.flowpubsub.spring;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spring.PubSubAutoConfigurationTest.OwnHub;
import dev.flowpubsub.spring.PubSubAutoConfigurationTest.Price;
import dev.flowpubsub.spring.health.PubSubHealthContributorAutoConfiguration;
import dev.flowpubsub.spring.metrics.PubSubMetricsAutoConfiguration;
import dev.flowpubsub.testsupport.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pubsub.redis.uri}: the hub on a real Redis, its Lettuce resources shared with the application's, and the
 * transport closed with the context. Starts {@code redis-server} processes.
 */
@Tag("integration")
class PubSubRedisAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PubSubAutoConfiguration.class,
                    PubSubHealthContributorAutoConfiguration.class, PubSubMetricsAutoConfiguration.class));

    @Test
    void redisTransport_takesItsCustomizers_andSharesOneClientResources() {
        try (RedisServer redis = RedisServer.start()) {
            runner.withPropertyValues("pubsub.redis.uri=" + redis.uri())
                    .withBean(RedisTransportBuilderCustomizer.class, () -> builder -> builder.stream("custom-stream"))
                    .run(context -> {
                        assertThat(context).hasSingleBean(io.lettuce.core.resource.ClientResources.class);
                        assertThat(context.getBean(PubSubHub.class).transportHealth().orElseThrow().details())
                                .containsEntry("stream", "custom-stream");
                    });
        }
    }

    @Test
    void applicationsOwnClientResources_areUsed_notASecondSet() {
        io.lettuce.core.resource.ClientResources own = io.lettuce.core.resource.DefaultClientResources.create();
        try (RedisServer redis = RedisServer.start()) {
            runner.withPropertyValues("pubsub.redis.uri=" + redis.uri())
                    .withBean("lettuceClientResources", io.lettuce.core.resource.ClientResources.class, () -> own)
                    .run(context -> {
                        assertThat(context).hasSingleBean(io.lettuce.core.resource.ClientResources.class);
                        PubSubHub hub = context.getBean(PubSubHub.class);
                        await().atMost(Duration.ofSeconds(10)).until(() -> hub.transportHealth().orElseThrow().up());
                    });
            assertThat(own.eventExecutorGroup().isShuttingDown()).as("the application's resources are its own")
                    .isFalse();
        } finally {
            var unused = own.shutdown();
        }
    }

    @Test
    void springDataRedisClientResources_areShared_andTheirCustomizersKept() {
        java.util.concurrent.atomic.AtomicBoolean customized = new java.util.concurrent.atomic.AtomicBoolean();
        try (RedisServer redis = RedisServer.start()) {
            runner.withConfiguration(AutoConfigurations.of(
                            org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration.class))
                    .withPropertyValues("pubsub.redis.uri=" + redis.uri(), "spring.data.redis.port=" + redis.port())
                    .withBean(org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer.class,
                            () -> builder -> customized.set(true))
                    .run(context -> {
                        assertThat(context).hasSingleBean(io.lettuce.core.resource.ClientResources.class);
                        assertThat(context).hasBean("lettuceClientResources");
                        assertThat(customized).as("the application's ClientResourcesBuilderCustomizer ran").isTrue();
                        PubSubHub hub = context.getBean(PubSubHub.class);
                        await().atMost(Duration.ofSeconds(10)).until(() -> hub.transportHealth().orElseThrow().up());
                    });
        }
    }

    @Test
    void redisUri_runsTheHubOnRedis_messagesCrossContexts_andHealthShowsTheUriWithoutItsPassword() {
        try (RedisServer redis = RedisServer.start("pw-in-uri")) {
            ApplicationContextRunner onRedis = runner.withPropertyValues("pubsub.redis.uri=" + redis.uri(),
                    "pubsub.allowed-types=" + Price.class.getName());
            onRedis.run(nodeA -> onRedis.run(nodeB -> {
                PubSubHub a = nodeA.getBean(PubSubHub.class);
                PubSubHub b = nodeB.getBean(PubSubHub.class);
                HealthIndicator bHealth = nodeB.getBean("pubsubHealthIndicator", HealthIndicator.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> bHealth.health().getStatus().equals(Status.UP));

                a.sendAllOnTopic("prices", new Price("ACME", 42));

                await().atMost(Duration.ofSeconds(20)).until(() -> b.stats().remoteReceived() == 1);
                Health health = bHealth.health();
                assertThat(health.getDetails()).containsEntry("engine", "redis")
                        .containsEntry("uri", "redis://127.0.0.1:" + redis.port())
                        .containsEntry("node", b.nodeId().orElseThrow());
                assertThat(health.toString()).doesNotContain("pw-in-uri");
            }));
        }
    }

    /* --- the starter's transport is closed with the context --- */

    @Test
    void ownHubBean_theStartersRedisTransportIsStillClosedWithTheContext() {
        try (RedisServer redis = RedisServer.start()) {
            Set<Thread> before = transportThreads();
            runner.withUserConfiguration(OwnHub.class).withPropertyValues("pubsub.redis.uri=" + redis.uri())
                    .run(context -> {
                        assertThat(context).hasSingleBean(Transport.class);
                        assertThat(threadsStartedSince(before)).as("threads of the transport while it is open")
                                .isNotEmpty();
                    });

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(threadsStartedSince(before)).isEmpty());
        }
    }

    @Test
    void failedStartup_afterTheRedisTransportWasBuilt_closesTheTransport() {
        try (RedisServer redis = RedisServer.start()) {
            Set<Thread> before = transportThreads();
            runner.withUserConfiguration(FailsAfterTheTransport.class)
                    .withPropertyValues("pubsub.redis.uri=" + redis.uri())
                    .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                            .hasMessage("fails once the transport is built"));

            await().atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(threadsStartedSince(before)).isEmpty());
        }
    }

    /**
     * The threads a Redis transport owns: its reader and writer once a hub started it, and Lettuce's event loop
     * and timer from the moment it is built.
     */
    private static Set<Thread> transportThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("flow-pubsub-redis-")
                        || thread.getName().startsWith("lettuce-"))
                .collect(Collectors.toSet());
    }

    /** Transport threads alive now that were not alive before: named, so a failure says which leaked. */
    private static List<String> threadsStartedSince(Set<Thread> before) {
        return transportThreads().stream().filter(thread -> !before.contains(thread)).map(Thread::getName)
                .sorted().toList();
    }

    /** A bean of the application that fails startup after the starter built its transport, before any hub. */
    @Configuration(proxyBeanMethods = false)
    static class FailsAfterTheTransport {
        @Bean
        Object needsTheTransport(Transport transport) {
            throw new IllegalStateException("fails once the transport is built");
        }
    }
}
