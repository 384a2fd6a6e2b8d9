package dev.flowpubsub.spring;

import com.vaadin.flow.server.VaadinServiceInitListener;
import dev.flowpubsub.DeliveryErrorHandler;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.TopicAuthorizer;
import dev.flowpubsub.JsonCodec;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.micrometer.PubSubMetrics;
import dev.flowpubsub.redis.RedisTransport;
import dev.flowpubsub.spi.MessageCodec;
import dev.flowpubsub.spi.Transport;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;



/**
 * Makes the application's {@link PubSubHub} a Spring bean, configured from {@code pubsub.*}
 * ({@link PubSubProperties}), and installs it into the Vaadin service so that {@code PubSub.of(ui)} and
 * the injected bean are one hub. Define your own {@code PubSubHub} bean to replace it; a
 * {@link DeliveryErrorHandler}, {@link TopicAuthorizer}, {@link HistoryPolicy}, {@link Transport} or
 * {@link MessageCodec} bean, if present, is used by it.
 * With {@code pubsub.redis.uri} set and flow-pubsub-redis on the classpath, the hub runs on Redis.
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

    private static final String REDIS_TRANSPORT = "dev.flowpubsub.redis.RedisTransport";

    /** The hub; Spring closes it (and its transport) with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public PubSubHub pubSubHub(PubSubProperties properties, ResourceLoader resourceLoader,
                               ObjectProvider<DeliveryErrorHandler> errorHandler,
                               ObjectProvider<Transport> transport, ObjectProvider<MessageCodec> codec,
                               ObjectProvider<HistoryPolicy> historyPolicy, ObjectProvider<TopicAuthorizer> authorizer) {
        if (properties.getRedis().getUri() != null && !properties.getRedis().getUri().isBlank()
                && !ClassUtils.isPresent(REDIS_TRANSPORT, resourceLoader.getClassLoader())) {
            throw new IllegalStateException("pubsub.redis.uri is set but flow-pubsub-redis is not on the classpath: "
                    + "add the dependency dev.flowpubsub:flow-pubsub-redis");
        }
        PubSubHub.Builder builder = PubSubHub.builder()
                .queueCapacity(properties.getQueueCapacity())
                .overflowPolicy(properties.getOverflowPolicy())
                .minBatchInterval(properties.getMinBatchInterval())
                .maxMessageBytes(properties.getMaxMessageBytes());
        if (properties.getNodeId() != null && !properties.getNodeId().isBlank()) {
            builder.nodeId(properties.getNodeId());
        }
        errorHandler.ifAvailable(builder::errorHandler);
        authorizer.ifAvailable(builder::authorizer);
        builder.history(historyPolicy.getIfAvailable(() -> fromProperties(properties.getHistory())));
        builder.presenceHeartbeat(properties.getPresenceHeartbeat());
        transport.ifAvailable(builder::transport);
        builder.codec(codec.getIfAvailable(() -> JsonCodec.allowing(properties.getAllowedTypes())));
        return builder.build();
    }

    private static HistoryPolicy fromProperties(PubSubProperties.History history) {
        if (history.getSize() == 0 || history.getTopicPrefixes().isEmpty()) {
            return HistoryPolicy.none();
        }
        return HistoryPolicy.keep(history.getSize(), history.getTopicPrefixes().toArray(String[]::new));
    }

    /** Installs the bean as the hub of the Vaadin service, so pages and the bean share it. */
    @Bean
    public VaadinServiceInitListener pubSubHubInstaller(PubSubHub hub) {
        return event -> PubSubHub.install(event.getSource(), hub, false);
    }

    /** With flow-pubsub-redis on the classpath and {@code pubsub.redis.uri} set: the hub runs on Redis. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = REDIS_TRANSPORT)
    @ConditionalOnProperty(prefix = "pubsub.redis", name = "uri")
    static class Redis {

        /** Closed by the hub that uses it. */
        @Bean(destroyMethod = "")
        @ConditionalOnMissingBean(Transport.class)
        Transport pubSubRedisTransport(PubSubProperties properties) {
            PubSubProperties.Redis redis = properties.getRedis();
            RedisTransport.Builder builder = RedisTransport.builder(redis.getUri())
                    .stream(redis.getStream())
                    .retention(redis.getRetention())
                    .maxLength(redis.getMaxLength())
                    .outboxCapacity(redis.getOutboxCapacity());
            if (redis.getTrustedCertificate() != null) {
                builder.trustedCertificate(redis.getTrustedCertificate());
            }
            return builder.build();
        }
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

    /** With Spring Boot's health support (Actuator): the hub's transport in {@code /actuator/health} as "pubsub". */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

        @Bean
        @ConditionalOnMissingBean(name = "pubsubHealthIndicator")
        HealthIndicator pubsubHealthIndicator(PubSubHub hub) {
            return new PubSubHealthIndicator(hub);
        }
    }
}
