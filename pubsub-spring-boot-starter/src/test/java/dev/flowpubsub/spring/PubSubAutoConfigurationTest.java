package dev.flowpubsub.spring;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.spring.SpringServlet;
import dev.flowpubsub.ClusterSignals;
import dev.flowpubsub.DeliveryError;
import dev.flowpubsub.DeliveryErrorHandler;
import dev.flowpubsub.OverflowPolicy;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubHubBuilder;
import dev.flowpubsub.TopicAuthorizer;
import dev.flowpubsub.internal.AtmosphereWriteWait;
import dev.flowpubsub.micrometer.PubSubMetrics;
import dev.flowpubsub.redis.RedisTransport;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spring.health.PubSubHealthContributorAutoConfiguration;
import dev.flowpubsub.spring.metrics.PubSubMetricsAutoConfiguration;
import dev.flowpubsub.testing.PubSubTesting;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The starter gives Spring apps the hub as a bean, configured from properties, shared with the pages. */
@org.junit.jupiter.api.Tag("integration")
class PubSubAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PubSubAutoConfiguration.class,
                    PubSubHealthContributorAutoConfiguration.class, PubSubMetricsAutoConfiguration.class));

    @BeforeEach
    void mockVaadin() {
        MockVaadin.setup(new Routes());
    }

    @AfterEach
    void tearDown() {
        MockVaadin.tearDown();
    }

    /** What Vaadin's SpringInstantiator does at startup with every VaadinServiceInitListener bean. */
    private static void startVaadinWith(VaadinServiceInitListener listener) {
        listener.serviceInit(new ServiceInitEvent(VaadinService.getCurrent()));
    }

    @Test
    void hubBean_isTheHubOfTheVaadinApplication_andTheDefaultsNeedNoConfiguration() {
        runner.run(context -> {
            PubSubHub bean = context.getBean(PubSubHub.class);
            startVaadinWith(context.getBean(VaadinServiceInitListener.class));

            assertThat(PubSubHub.get(VaadinService.getCurrent())).isSameAs(bean);
            assertThat(PubSub.of(UI.getCurrent()).getHub()).isSameAs(bean);
            assertThat(bean.queueCapacity()).isEqualTo(PubSubHubBuilder.DEFAULT_QUEUE_CAPACITY);
            assertThat(bean.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_OLDEST);
        });
    }

    @Test
    void clusterSignalsBean_isTheHubsSignals_andWorksWithoutAnEngine() {
        runner.run(context -> {
            assertThat(Thread.getAllStackTraces().keySet()).as("no signal thread until the bean is used")
                    .noneMatch(thread -> thread.getName().startsWith("flow-pubsub-signals-"));
            ClusterSignals signals = context.getBean(ClusterSignals.class);
            assertThat(signals).isSameAs(context.getBean(PubSubHub.class).signals());
            var title = signals.value("title", String.class);
            title.set("hello");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> "hello".equals(title.peekConfirmed()));
        });
    }

    @Test
    void properties_configureTheHub() {
        runner.withPropertyValues("pubsub.queue-capacity=16", "pubsub.overflow-policy=drop-newest",
                "pubsub.min-batch-interval=100ms").run(context -> {
            PubSubHub hub = context.getBean(PubSubHub.class);
            assertThat(hub.queueCapacity()).isEqualTo(16);
            assertThat(hub.overflowPolicy()).isEqualTo(OverflowPolicy.DROP_NEWEST);
            assertThat(hub.minBatchInterval()).isEqualTo(Duration.ofMillis(100));
        });
    }

    @Test
    void limitProperties_configureTheHub() {
        runner.withPropertyValues("pubsub.max-lanes=3", "pubsub.inbox-capacity=50", "pubsub.send-timeout=1s",
                "pubsub.send-budget.rate=1", "pubsub.send-budget.burst=2", "pubsub.presence.disconnect-grace=2s")
                .run(context -> {
                    startVaadinWith(context.getBean(VaadinServiceInitListener.class));
                    PubSubHub hub = context.getBean(PubSubHub.class);
                    assertThat(hub.maxLanes()).isEqualTo(3);
                    assertThat(hub.inboxCapacity()).isEqualTo(50);

                    PubSub.current().sendAll("one");
                    PubSub.current().sendAll("two");
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PubSub.current().sendAll("three"))
                            .isInstanceOf(dev.flowpubsub.PubSubSendRefusedException.class);
                });
    }

    @Test
    void sendBudget_canBeSwitchedOff() {
        runner.withPropertyValues("pubsub.send-budget.enabled=false").run(context -> {
            startVaadinWith(context.getBean(VaadinServiceInitListener.class));
            for (int i = 0; i < 200; i++) {
                PubSub.current().sendAll(i);
            }
            assertThat(context.getBean(PubSubHub.class).stats().refused()).isZero();
        });
    }

    @Test
    void historyProperty_andAuthorizerBean_configureTheHub() {
        runner.withPropertyValues("pubsub.history.size=3", "pubsub.history.topic-prefixes=room:")
                .withBean(TopicAuthorizer.class, () -> (ui, action, topic) -> !"secret".equals(topic))
                .run(context -> {
                    startVaadinWith(context.getBean(VaadinServiceInitListener.class));
                    PubSubHub hub = context.getBean(PubSubHub.class);
                    for (int n = 1; n <= 5; n++) {
                        hub.sendAllOnTopic("room:a", n);
                    }
                    List<Object> got = new CopyOnWriteArrayList<>();
                    PubSub.current().subscribeTopicWithHistory("room:a", Integer.class, n -> got.add(n));
                    PubSubTesting.deliverPending();

                    assertThat(got).containsExactly(3, 4, 5);
                    org.assertj.core.api.Assertions.assertThatThrownBy(() -> PubSub.current().sendAllOnTopic("secret", "x"))
                            .isInstanceOf(dev.flowpubsub.PubSubAccessDeniedException.class);
                });
    }

    @Test
    void badProperty_failsStartupWithTheReason() {
        runner.withPropertyValues("pubsub.queue-capacity=0").run(context ->
                assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("queueCapacity must be at least 1"));
    }

    @Test
    void builderCustomizers_areAppliedAfterTheProperties_inTheirOrder() {
        runner.withPropertyValues("pubsub.queue-capacity=16")
                .withBean("second", PubSubHubBuilderCustomizer.class, () -> new OrderedCustomizer(2, 64))
                .withBean("first", PubSubHubBuilderCustomizer.class, () -> new OrderedCustomizer(1, 32))
                .run(context -> assertThat(context.getBean(PubSubHub.class).queueCapacity()).isEqualTo(64));
    }

    /** Sets the queue capacity, in its place among the customizers. */
    record OrderedCustomizer(int order, int capacity) implements PubSubHubBuilderCustomizer,
            org.springframework.core.Ordered {
        @Override
        public void customize(PubSubHubBuilder builder) {
            builder.queueCapacity(capacity);
        }

        @Override
        public int getOrder() {
            return order;
        }
    }

    @Test
    void vaadinServlet_getsAtmospheresWriteWaitOfOneMillisecond_byDefault() {
        runner.run(context -> assertThat(vaadinServletParameters(context))
                .containsEntry(AtmosphereWriteWait.ATMOSPHERE_PARAMETER, "1")
                .containsEntry(AtmosphereWriteWait.PARAMETER, "1"));
    }

    @Test
    void atmosphereWriteWait_comesFromItsProperty_andEmptyLeavesAtmospheresOwn() {
        runner.withPropertyValues("pubsub.push.atmosphere-write-wait=25ms").run(context ->
                assertThat(vaadinServletParameters(context)).containsEntry(AtmosphereWriteWait.ATMOSPHERE_PARAMETER, "25"));
        runner.withPropertyValues("pubsub.push.atmosphere-write-wait=").run(context ->
                assertThat(vaadinServletParameters(context)).containsEntry(AtmosphereWriteWait.PARAMETER, "")
                        .doesNotContainKey(AtmosphereWriteWait.ATMOSPHERE_PARAMETER));
    }

    @Test
    void atmosphereWriteWait_theApplicationSetOnTheServlet_isKept() {
        runner.run(context -> {
            ServletRegistrationBean<SpringServlet> registration =
                    new ServletRegistrationBean<>(new SpringServlet(context, false));
            registration.addInitParameter(AtmosphereWriteWait.ATMOSPHERE_PARAMETER, "50");

            context.getBean("pubSubAtmosphereWriteWait", BeanPostProcessor.class)
                    .postProcessBeforeInitialization(registration, "springServlet");

            assertThat(registration.getInitParameters()).containsEntry(AtmosphereWriteWait.ATMOSPHERE_PARAMETER, "50");
        });
    }

    @Test
    void atmosphereWriteWait_thatIsNotWholeMilliseconds_failsTheStartWithThePropertysName() {
        for (String wrong : new String[] {"soon", "-1ms", "1500us"}) {
            runner.withPropertyValues("pubsub.push.atmosphere-write-wait=" + wrong).run(context ->
                    assertThat(context).hasFailed().getFailure()
                            .hasStackTraceContaining("pubsub.push.atmosphere-write-wait must be a duration in whole "
                                    + "milliseconds").hasStackTraceContaining("(got '" + wrong + "')"));
        }
    }

    /** The init parameters the Vaadin servlet's registration gets, after the starter's post-processor saw it. */
    private static java.util.Map<String, String> vaadinServletParameters(
            org.springframework.context.ApplicationContext context) {
        ServletRegistrationBean<SpringServlet> registration =
                new ServletRegistrationBean<>(new SpringServlet(context, false));
        context.getBean("pubSubAtmosphereWriteWait", BeanPostProcessor.class)
                .postProcessBeforeInitialization(registration, "springServlet");
        return registration.getInitParameters();
    }

    @Test
    void hubIsClosed_whenTheContextCloses() {
        PubSubHub[] hub = new PubSubHub[1];
        runner.run(context -> hub[0] = context.getBean(PubSubHub.class));
        assertThat(hub[0].isClosed()).isTrue();
    }

    @Test
    void ownHubBean_replacesTheDefault() {
        runner.withUserConfiguration(OwnHub.class).run(context -> {
            assertThat(context.getBean(PubSubHub.class).queueCapacity()).isEqualTo(3);
            startVaadinWith(context.getBean(VaadinServiceInitListener.class));
            assertThat(PubSubHub.get(VaadinService.getCurrent()).queueCapacity()).isEqualTo(3);
        });
    }

    @Test
    void deliveryErrorHandlerBean_isToldAboutFailedHandlers() {
        runner.withUserConfiguration(CollectingErrors.class).run(context -> {
            startVaadinWith(context.getBean(VaadinServiceInitListener.class));
            PubSub.current().subscribe(message -> {
                throw new IllegalStateException("broken view");
            });

            PubSub.current().sendAll("x");
            PubSubTesting.deliverPending();

            assertThat(context.getBean(CollectingErrors.class).errors)
                    .singleElement().extracting(DeliveryError::cause).extracting(Throwable::getMessage)
                    .isEqualTo("broken view");
        });
    }

    @Test
    void withMicrometer_theHubsMetersAreProvided() {
        runner.run(context -> {
            SimpleMeterRegistry registry = new SimpleMeterRegistry();
            context.getBean(PubSubMetrics.class).bindTo(registry);
            context.getBean(PubSubHub.class).sendAll("counted");

            assertThat(registry.get("pubsub.messages.sent").functionCounter().count()).isEqualTo(1);
        });
    }

    @Test
    void withoutTransport_healthIsUp_andSaysTheHubIsLocal() {
        runner.run(context -> {
            Health health = context.getBean("pubsubHealthIndicator", HealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("transport", "none: this server only");
            assertThat(context.getBean(PubSubHub.class).transportHealth()).isEmpty();
        });
    }

    @Test
    void redisUri_withoutTheRedisModule_failsStartupSayingWhatToAdd() {
        runner.withClassLoader(new FilteredClassLoader(RedisTransport.class))
                .withPropertyValues("pubsub.redis.uri=redis://localhost:6379")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("dev.flowpubsub:flow-pubsub-redis"));
    }

    @Test
    void closedHub_isReportedDown() {
        runner.run(context -> {
            context.getBean(PubSubHub.class).close();
            assertThat(context.getBean("pubsubHealthIndicator", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.DOWN);
        });
    }

    /* --- pubsub.redis.uri: blank means no Redis --- */

    @Test
    void blankRedisUri_meansNoRedis_insteadOfAFailedStart() {
        runner.withPropertyValues("pubsub.redis.uri=").run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(Transport.class);
            assertThat(context.getBean(PubSubHub.class).transportHealth()).isEmpty();
        });
    }

    @Test
    void emptyPubsubRedisUriEnvironmentVariable_meansNoRedis() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource(
                                "test-" + StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("PUBSUB_REDIS_URI", ""))))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(Transport.class);
                    assertThat(context.getBean(PubSubHub.class).transportHealth()).isEmpty();
                });
    }

    @Test
    void blankRedisUri_withoutTheRedisModule_startsWithoutRedis() {
        runner.withClassLoader(new FilteredClassLoader(RedisTransport.class))
                .withPropertyValues("pubsub.redis.uri=")
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(Transport.class));
    }

    @Test
    void redisUri_withoutTheRedisModule_failsStartup_evenWithAnOwnHub() {
        runner.withClassLoader(new FilteredClassLoader(RedisTransport.class))
                .withUserConfiguration(OwnHub.class)
                .withPropertyValues("pubsub.redis.uri=redis://localhost:6379")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("dev.flowpubsub:flow-pubsub-redis"));
    }

    /** A record sent across nodes in the Redis test. */
    public record Price(String symbol, int cents) {
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnHub {
        @Bean(destroyMethod = "close")
        PubSubHub myHub() {
            return PubSubHub.builder().queueCapacity(3).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class CollectingErrors {
        final List<DeliveryError> errors = new CopyOnWriteArrayList<>();

        @Bean
        DeliveryErrorHandler collect() {
            return errors::add;
        }
    }
}
