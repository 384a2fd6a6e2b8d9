package dev.flowpubsub.spring;

import dev.flowpubsub.spring.health.PubSubHealthContributorAutoConfiguration;
import dev.flowpubsub.testsupport.RedisServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The starter's health on a real Redis that goes away: "pubsubTransport" goes DOWN while "pubsub" stays UP, and no
 * password of the URI reaches either. Starts {@code redis-server} processes.
 */
@Tag("integration")
class PubSubHealthOnRedisTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PubSubAutoConfiguration.class,
                    PubSubHealthContributorAutoConfiguration.class));

    @Test
    void killedRedis_takesPubsubTransportDown_whilePubsubStaysUp() {
        try (RedisServer redis = RedisServer.start()) {
            runner.withPropertyValues("pubsub.redis.uri=" + redis.uri()).run(context -> {
                HealthIndicator pubsub = indicator(context, "pubsub");
                HealthIndicator transport = indicator(context, "pubsubTransport");
                await().atMost(Duration.ofSeconds(20)).until(() -> transport.health().getStatus().equals(Status.UP));
                assertThat(pubsub.health().getDetails()).containsEntry("transport", "UP");

                redis.kill();

                await().atMost(Duration.ofSeconds(20))
                        .until(() -> transport.health().getStatus().equals(Status.DOWN));
                assertThat(transport.health().getDetails()).containsEntry("engine", "redis").containsKey("lastError");
                assertThat(pubsub.health().getStatus()).isEqualTo(Status.UP);
                assertThat(pubsub.health().getDetails()).containsEntry("transport", "DOWN");
            });
        }
    }

    /* --- no secret reaches health --- */

    @Test
    void passwordInRedisUri_neverReachesHealth() {
        assertNoSecretInHealth(redis -> "redis://:s3cret@127.0.0.1:" + redis.port());
    }

    /**
     * Lettuce reads {@code redis://secret@host} as a password without a user name. Fails until RedisTransport
     * builds the URI it shows from the parsed URI: its mask only knows the {@code :password@} form (being fixed
     * in flow-pubsub-redis, not here).
     */
    @Test
    void passwordAsTheWholeUserInfoOfRedisUri_neverReachesHealth() {
        assertNoSecretInHealth(redis -> "redis://s3cret@127.0.0.1:" + redis.port());
    }

    /** Every health detail of both indicators, while Redis is reachable and after it is gone. */
    private void assertNoSecretInHealth(java.util.function.Function<RedisServer, String> uri) {
        try (RedisServer redis = RedisServer.start("s3cret")) {
            runner.withPropertyValues("pubsub.redis.uri=" + uri.apply(redis)).run(context -> {
                assertThat(context).hasNotFailed();
                HealthIndicator pubsub = indicator(context, "pubsub");
                HealthIndicator transport = indicator(context, "pubsubTransport");
                await().atMost(Duration.ofSeconds(20)).until(() -> transport.health().getStatus().equals(Status.UP));
                assertThat(shown(pubsub)).doesNotContain("s3cret");
                assertThat(shown(transport)).doesNotContain("s3cret");

                redis.kill();

                await().atMost(Duration.ofSeconds(20))
                        .until(() -> transport.health().getStatus().equals(Status.DOWN));
                assertThat(shown(pubsub)).doesNotContain("s3cret");
                assertThat(shown(transport)).doesNotContain("s3cret");
            });
        }
    }

    private static String shown(HealthIndicator indicator) {
        Health health = indicator.health();
        return health.getStatus() + " " + health.getDetails();
    }

    private static HealthIndicator indicator(ApplicationContext context, String contributor) {
        return context.getBean(contributor + "HealthIndicator", HealthIndicator.class);
    }
}
