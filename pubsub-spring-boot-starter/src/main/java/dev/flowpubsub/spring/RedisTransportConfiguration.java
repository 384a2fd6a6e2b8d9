package dev.flowpubsub.spring;

import dev.flowpubsub.redis.RedisTransport;
import dev.flowpubsub.spi.Transport;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;

import java.util.Objects;

import static dev.flowpubsub.spring.BuilderProperties.property;

/**
 * The hub on Redis: with flow-pubsub-redis on the classpath and {@code pubsub.redis.uri} set, the transport bean,
 * built from {@code pubsub.redis.*} ({@link PubSubRedisProperties}), then every {@link RedisTransportBuilderCustomizer}
 * bean in order. A blank URI counts as not set ({@link OnRedisUriCondition}). Imported by
 * {@link PubSubAutoConfiguration}, as Spring Boot's Redis auto-configuration imports its Lettuce configuration.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "dev.flowpubsub.redis.RedisTransport")
@Conditional(OnRedisUriCondition.class)
class RedisTransportConfiguration {

    /**
     * Lettuce's event loops and timers, shared by the transport (and by anything else of the application that
     * wants them); Spring Data Redis's own {@code ClientResources} bean is used instead when there is one.
     * Shut down after the transport that uses them.
     */
    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean(ClientResources.class)
    ClientResources pubSubLettuceClientResources() {
        return DefaultClientResources.create();
    }

    /**
     * Closed with the context, also when no hub uses it (an application's own {@code PubSubHub} bean, or a
     * startup that fails before the hub is built): building it already starts Lettuce's threads. The hub that
     * uses it closes it too, which is harmless: {@link Transport#close()} is idempotent.
     */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Transport.class)
    @DependsOn(PubSubEngine.BEAN)
    Transport pubSubRedisTransport(PubSubProperties properties, ClientResources clientResources,
                                   ObjectProvider<RedisTransportBuilderCustomizer> customizers) {
        PubSubRedisProperties redis = properties.getRedis();
        String uri = Objects.requireNonNull(redis.getUri(), "pubsub.redis.uri"); // set: OnRedisUriCondition
        // the builder's refusal never quotes the URI, which may hold a password
        RedisTransport.Builder builder = BuilderProperties.refusing("pubsub.redis.uri", () -> RedisTransport.builder(uri));
        builder.clientResources(clientResources);
        PropertyMapper map = PropertyMapper.get();
        map.from(redis::getStream).to(property("pubsub.redis.stream", builder::stream));
        map.from(redis::getRetention).to(property("pubsub.redis.retention", builder::retention));
        map.from(redis::getMaxLength).to(property("pubsub.redis.max-length", builder::maxLength));
        map.from(redis::getOutboxCapacity).to(property("pubsub.redis.outbox-capacity", builder::outboxCapacity));
        map.from(redis::getOutboxMaxBytes).to(property("pubsub.redis.outbox-max-bytes", builder::outboxMaxBytes));
        map.from(redis::getCommandTimeout).to(property("pubsub.redis.command-timeout", builder::commandTimeout));
        map.from(redis::getHistoryRetention)
                .to(property("pubsub.redis.history-retention", builder::historyRetention));
        map.from(redis::getTrustedCertificate)
                .to(property("pubsub.redis.trusted-certificate", builder::trustedCertificate));
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return BuilderProperties.build("pubsub.redis", builder::build);
    }
}
