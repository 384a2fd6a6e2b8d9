package dev.flowpubsub.spring;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.spring.health.PubSubHealthContributorAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.health.actuate.endpoint.CompositeHealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's health: "pubsub" says whether this node's hub works (local delivery does without Redis), and
 * "pubsubTransport", meant for a readiness group, whether the hub reaches the other nodes.
 */
@org.junit.jupiter.api.Tag("integration")
class PubSubHealthTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PubSubAutoConfiguration.class,
                    PubSubHealthContributorAutoConfiguration.class));

    /** What Spring Boot's Actuator sets up for {@code /actuator/health}, with its liveness and readiness groups. */
    private final WebApplicationContextRunner actuator = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PubSubAutoConfiguration.class,
                    PubSubHealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                    HealthContributorRegistryAutoConfiguration.class, HealthContributorAutoConfiguration.class,
                    AvailabilityProbesAutoConfiguration.class,
                    ApplicationAvailabilityAutoConfiguration.class))
            .withPropertyValues("management.endpoint.health.show-details=always",
                    "management.endpoint.health.group.readiness.include=readinessState,pubsubTransport");

    /* --- "pubsub": this node's hub --- */

    @Test
    void unreachableRedis_keepsPubsubUp_withTheTransportDownInItsDetails() {
        runner.withPropertyValues("pubsub.redis.uri=redis://127.0.0.1:" + unusedPort()).run(context -> {
            Health health = indicator(context, "pubsub").health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("transport", "DOWN").containsEntry("engine", "redis")
                    .containsKey("lastError");
        });
    }

    @Test
    void closedHub_isReportedDown_byBothIndicators() {
        runner.withPropertyValues("pubsub.redis.uri=redis://127.0.0.1:" + unusedPort()).run(context -> {
            context.getBean(PubSubHub.class).close();

            assertThat(indicator(context, "pubsub").health().getStatus()).isEqualTo(Status.DOWN);
            assertThat(indicator(context, "pubsubTransport").health().getStatus()).isEqualTo(Status.DOWN);
        });
    }

    @Test
    void sharedSignals_showWhereTheNodeIsInTheirLog_andItsSnapshotAge_onceOneIsMade() {
        runner.run(context -> {
            assertThat(indicator(context, "pubsub").health().getDetails()).doesNotContainKey("signals");
            PubSubHub hub = context.getBean(PubSubHub.class);
            hub.signals().value("title", String.class).set("one");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> hub.signalStats().orElseThrow().confirmed() == 1);
            hub.signals().snapshotNow().get(10, java.util.concurrent.TimeUnit.SECONDS);

            Object signals = indicator(context, "pubsub").health().getDetails().get("signals");
            assertThat(signals).isInstanceOf(java.util.Map.class);
            assertThat(String.valueOf(signals)).contains("position=1", "behind=0", "namesInUse=1",
                    "snapshotAgeSeconds=0");
        });
    }

    /* --- "pubsubTransport": for readiness groups, never in the root --- */

    @Test
    void withoutTransport_pubsubTransportIsUp_soAReadinessGroupMayIncludeItOnEveryServer() {
        actuator.run(context -> {
            assertThat(context).hasNotFailed();
            Health health = indicator(context, "pubsubTransport").health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("transport", "none: this server only");
        });
    }

    @Test
    void readinessGroupWithPubsubTransport_isDownWhileRedisIsUnreachable_andTheRootStaysUp() {
        actuator.withPropertyValues("pubsub.redis.uri=redis://127.0.0.1:" + unusedPort()).run(context -> {
            assertThat(context).hasNotFailed();
            acceptTraffic(context);
            HealthEndpointWebExtension web = context.getBean(HealthEndpointWebExtension.class);

            WebEndpointResponse<HealthDescriptor> root = get(web);
            WebEndpointResponse<HealthDescriptor> readiness = get(web, "readiness");

            assertThat(root.getStatus()).isEqualTo(200);
            assertThat(root.getBody().getStatus()).isEqualTo(Status.UP);
            assertThat(components(root)).containsKey("pubsub").doesNotContainKey("pubsubTransport");
            assertThat(context.getBean(HealthEndpoint.class).health().getStatus()).isEqualTo(Status.UP);

            assertThat(readiness.getStatus()).isEqualTo(503);
            assertThat(readiness.getBody().getStatus()).isEqualTo(Status.DOWN);
            assertThat(components(readiness)).containsOnlyKeys("readinessState", "pubsubTransport");
            assertThat(components(readiness).get("pubsubTransport").getStatus()).isEqualTo(Status.DOWN);
            assertThat(get(web, "readiness", "pubsubTransport").getStatus()).isEqualTo(503);
            assertThat(get(web, "pubsubTransport").getStatus()).as("not a root member, so no root path")
                    .isEqualTo(404);
        });
    }

    @Test
    void probes_keepTheirAdditionalPaths_whenPubsubTransportIsKeptOutOfTheRoot() {
        actuator.withPropertyValues("management.endpoint.health.probes.add-additional-paths=true")
                .run(context -> assertThat(additionalPaths(context)).containsExactlyInAnyOrder("/livez", "/readyz"));
    }

    @Test
    void groups_keepTheirAdditionalPaths_whenPubsubTransportIsKeptOutOfTheRoot_withoutProbes() {
        actuator.withPropertyValues("management.endpoint.health.probes.enabled=false",
                        "management.endpoint.health.group.readiness.include=pubsubTransport",
                        "management.endpoint.health.group.readiness.additional-path=server:/ready")
                .run(context -> assertThat(additionalPaths(context)).containsExactly("/ready"));
    }

    /** What the web endpoints map besides /actuator/health/..., asked from the AdditionalPathsMapper beans. */
    private static List<String> additionalPaths(AssertableWebApplicationContext context) {
        return context.getBeansOfType(AdditionalPathsMapper.class).values().stream()
                .flatMap(mapper -> mapper.getAdditionalPaths(HealthEndpoint.ID, WebServerNamespace.SERVER).stream())
                .toList();
    }

    @Test
    void withoutActuatorsHealthEndpoint_bothIndicatorsAreStillThere() {
        runner.withClassLoader(new FilteredClassLoader(HealthEndpointGroupsPostProcessor.class)).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(HealthEndpointGroupsPostProcessor.class);
            assertThat(indicator(context, "pubsub").health().getStatus()).isEqualTo(Status.UP);
            assertThat(indicator(context, "pubsubTransport").health().getStatus()).isEqualTo(Status.UP);
        });
    }

    private static HealthIndicator indicator(ApplicationContext context, String contributor) {
        return context.getBean(contributor + "HealthIndicator", HealthIndicator.class);
    }

    private static WebEndpointResponse<HealthDescriptor> get(HealthEndpointWebExtension web, String... path) {
        return web.health(ApiVersion.V3, WebServerNamespace.SERVER, SecurityContext.NONE, path);
    }

    private static Map<String, HealthDescriptor> components(WebEndpointResponse<HealthDescriptor> response) {
        return ((CompositeHealthDescriptor) response.getBody()).getComponents();
    }

    /** What SpringApplication publishes once it has started; a context runner does not. */
    private static void acceptTraffic(AssertableWebApplicationContext context) {
        AvailabilityChangeEvent.publish(context.getSourceApplicationContext(), LivenessState.CORRECT);
        AvailabilityChangeEvent.publish(context.getSourceApplicationContext(), ReadinessState.ACCEPTING_TRAFFIC);
    }

    /** A loopback port nobody listens on (free a moment ago), for a Redis that cannot be reached. */
    private static int unusedPort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
