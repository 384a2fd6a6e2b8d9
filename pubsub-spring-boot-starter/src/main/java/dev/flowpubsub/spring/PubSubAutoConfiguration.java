package dev.flowpubsub.spring;

import com.vaadin.flow.server.VaadinServiceInitListener;
import dev.flowpubsub.DeliveryErrorHandler;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.micrometer.PubSubMetrics;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Makes the application's {@link PubSubHub} a Spring bean, configured from {@code pubsub.*}
 * ({@link PubSubProperties}), and installs it into the Vaadin service so that {@code PubSub.of(ui)} and
 * the injected bean are one hub. Define your own {@code PubSubHub} bean to replace it; a
 * {@link DeliveryErrorHandler} bean, if present, receives failed handlers.
 *
 * <pre>{@code
 * @Service
 * class PriceFeed {
 *     PriceFeed(PubSubHub hub) { this.hub = hub; }
 *     @Scheduled(fixedRate = 1000) void tick() { hub.sendAllOnTopic("prices", latest()); }
 * }
 * }</pre>
 */
@AutoConfiguration
@ConditionalOnClass({PubSubHub.class, VaadinServiceInitListener.class})
@EnableConfigurationProperties(PubSubProperties.class)
public class PubSubAutoConfiguration {

    /** The hub; Spring closes it with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public PubSubHub pubSubHub(PubSubProperties properties, ObjectProvider<DeliveryErrorHandler> errorHandler) {
        PubSubHub.Builder builder = PubSubHub.builder()
                .queueCapacity(properties.getQueueCapacity())
                .overflowPolicy(properties.getOverflowPolicy());
        errorHandler.ifAvailable(builder::errorHandler);
        return builder.build();
    }

    /** Installs the bean as the hub of the Vaadin service, so pages and the bean share it. */
    @Bean
    public VaadinServiceInitListener pubSubHubInstaller(PubSubHub hub) {
        return event -> PubSubHub.install(event.getSource(), hub, false);
    }

    /** With Micrometer on the classpath: the hub's stats as {@code pubsub.*} meters, bound by Spring Boot's metrics. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        PubSubMetrics pubSubMetrics(PubSubHub hub) {
            return new PubSubMetrics(hub);
        }
    }
}
