package dev.flowpubsub.spring.metrics;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.micrometer.PubSubMetrics;
import dev.flowpubsub.spring.PubSubAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The hub's meters, with Micrometer on the classpath and a {@link PubSubHub} bean (the starter's or the application's
 * own): the hub's stats as {@code pubsub.*} meters ({@link PubSubMetrics}), a {@link MeterBinder} bean that Spring
 * Boot's metrics bind to every meter registry. A {@code PubSubMetrics} bean of the application's replaces it.
 */
@AutoConfiguration(after = PubSubAutoConfiguration.class)
@ConditionalOnClass({PubSubHub.class, MeterBinder.class})
@ConditionalOnBean(PubSubHub.class)
public class PubSubMetricsAutoConfiguration {

    /** The meters of the hub bean. */
    @Bean
    @ConditionalOnMissingBean
    PubSubMetrics pubSubMetrics(PubSubHub hub) {
        return new PubSubMetrics(hub);
    }
}
