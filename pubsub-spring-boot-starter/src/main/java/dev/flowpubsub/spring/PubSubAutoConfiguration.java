package dev.flowpubsub.spring;

import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.spring.SpringServlet;
import dev.flowpubsub.DeliveryErrorHandler;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.JsonCodec;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.TopicAuthorizer;
import dev.flowpubsub.micrometer.PubSubMetrics;
import dev.flowpubsub.postgres.PostgresTransport;
import dev.flowpubsub.redis.RedisTransport;
import dev.flowpubsub.spi.MessageCodec;
import dev.flowpubsub.spi.Transport;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import javax.sql.DataSource;

/**
 * Makes the application's {@link PubSubHub} a Spring bean, configured from {@code pubsub.*}
 * ({@link PubSubProperties}), and installs it into the Vaadin service so that {@code PubSub.of(ui)} and
 * the injected bean are one hub. Define your own {@code PubSubHub} bean to replace it; a
 * {@link DeliveryErrorHandler}, {@link TopicAuthorizer}, {@link HistoryPolicy}, {@link Transport} or
 * {@link MessageCodec} bean, if present, is used by it, and every {@link PubSubHubBuilderCustomizer} bean is applied
 * to its builder after the properties ({@link RedisTransportBuilderCustomizer} beans to the Redis transport's).
 * With {@code pubsub.redis.uri} set (to a non-blank value) and flow-pubsub-redis on the classpath, the hub runs on
 * Redis; set without flow-pubsub-redis, startup fails saying what to add. With {@code pubsub.postgres.enabled=true}
 * and flow-pubsub-postgres, it runs on PostgreSQL (the application's {@code DataSource}, or
 * {@code pubsub.postgres.url}); both engines configured at once fail the startup, saying to choose one.
 *
 * <p>With Spring Boot's Actuator, two health indicators:
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
 *
 * <pre>{@code
 * @Service
 * class PriceFeed {
 *     PriceFeed(PubSubHub hub) { this.hub = hub; }
 *     @Scheduled(fixedRate = 1000) void tick() { hub.sendAllOnTopic("prices", latest()); }
 * }
 * }</pre>
 */
// after Spring Data Redis, so that its ClientResources (with the application's customizers) is the one shared, and
// after the DataSource, which the PostgreSQL transport uses
@AutoConfiguration(afterName = {"org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration",
        "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration"})
@ConditionalOnClass({PubSubHub.class, VaadinServiceInitListener.class})
@EnableConfigurationProperties(PubSubProperties.class)
public class PubSubAutoConfiguration {

    private static final String REDIS_TRANSPORT = "dev.flowpubsub.redis.RedisTransport";
    private static final String POSTGRES_TRANSPORT = "dev.flowpubsub.postgres.PostgresTransport";
    static final String BOTH_ENGINES = "pubsub.redis.uri and pubsub.postgres.enabled=true are both set: the hub runs "
            + "on one engine, so keep the one your servers share and remove the other";

    /** The name of {@link PubSubTransportHealthIndicator} among the health contributors. */
    static final String TRANSPORT_HEALTH = "pubsubTransport";

    /** The hub; Spring closes it (and its transport) with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public PubSubHub pubSubHub(PubSubProperties properties, ObjectProvider<DeliveryErrorHandler> errorHandler,
                               ObjectProvider<Transport> transport, ObjectProvider<MessageCodec> codec,
                               ObjectProvider<HistoryPolicy> historyPolicy, ObjectProvider<TopicAuthorizer> authorizer,
                               ObjectProvider<PubSubHubBuilderCustomizer> customizers) {
        PubSubHub.Builder builder = PubSubHub.builder()
                .queueCapacity(properties.getQueueCapacity())
                .overflowPolicy(properties.getOverflowPolicy())
                .minBatchInterval(properties.getMinBatchInterval())
                .maxMessageBytes(properties.getMaxMessageBytes())
                .inboxCapacity(properties.getInboxCapacity())
                .sendTimeout(properties.getSendTimeout())
                .presenceDisconnectGrace(properties.getPresence().getDisconnectGrace());
        if (properties.getMaxLanes() != null) {
            builder.maxLanes(properties.getMaxLanes());
        }
        PubSubProperties.SendBudget budget = properties.getSendBudget();
        if (budget.isEnabled()) {
            builder.sendBudget(budget.getRate(), budget.getBurst());
        } else {
            builder.noSendBudget();
        }
        if (StringUtils.hasText(properties.getNodeId())) {
            builder.nodeId(properties.getNodeId());
        }
        errorHandler.ifAvailable(builder::errorHandler);
        authorizer.ifAvailable(builder::authorizer);
        builder.history(historyPolicy.getIfAvailable(() -> fromProperties(properties.getHistory())));
        builder.presenceHeartbeat(properties.getPresenceHeartbeat());
        transport.ifAvailable(builder::transport);
        builder.codec(codec.getIfAvailable(() -> JsonCodec.allowing(properties.getAllowedTypes())));
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
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

    /**
     * Atmosphere's write wait on the Vaadin servlet ({@code pubsub.push.atmosphere-write-wait}, 1 ms unless set):
     * without it one message to more than 200 pages takes about half a second, whatever sends it.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({SpringServlet.class, ServletRegistrationBean.class})
    static class Push {

        @Bean
        static BeanPostProcessor pubSubAtmosphereWriteWait(Environment environment) {
            return new AtmosphereWriteWaitPostProcessor(environment);
        }
    }

    /**
     * With flow-pubsub-redis on the classpath and {@code pubsub.redis.uri} set: the hub runs on Redis. A blank URI
     * counts as not set ({@link OnRedisUriCondition}).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = REDIS_TRANSPORT)
    @Conditional(OnRedisUriCondition.class)
    static class Redis {

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
        Transport pubSubRedisTransport(PubSubProperties properties, ClientResources clientResources,
                                       ObjectProvider<RedisTransportBuilderCustomizer> customizers) {
            PubSubProperties.Redis redis = properties.getRedis();
            RedisTransport.Builder builder = RedisTransport.builder(redis.getUri())
                    .clientResources(clientResources)
                    .stream(redis.getStream())
                    .maxLength(redis.getMaxLength())
                    .outboxCapacity(redis.getOutboxCapacity())
                    .outboxMaxBytes(redis.getOutboxMaxBytes());
            // empty means the transport's own default, defined once, in its builder
            if (redis.getRetention() != null) {
                builder.retention(redis.getRetention());
            }
            if (redis.getCommandTimeout() != null) {
                builder.commandTimeout(redis.getCommandTimeout());
            }
            if (redis.getHistoryRetention() != null) {
                builder.historyRetention(redis.getHistoryRetention());
            }
            if (redis.getTrustedCertificate() != null) {
                builder.trustedCertificate(redis.getTrustedCertificate());
            }
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        }
    }

    /** With both Redis and PostgreSQL configured: startup fails, saying to choose one. */
    @Configuration(proxyBeanMethods = false)
    @Conditional(OnBothEnginesCondition.class)
    static class BothEngines {

        BothEngines() {
            throw new IllegalStateException(BOTH_ENGINES);
        }
    }

    /**
     * With flow-pubsub-postgres on the classpath and {@code pubsub.postgres.enabled=true}: the hub runs on PostgreSQL,
     * on {@code pubsub.postgres.url} (with its username and password) when set, else on the application's
     * {@link DataSource}. Beside a DataSource, the reader's held {@code LISTEN} connection is opened on
     * {@code spring.datasource.url} (with {@code pubsub.postgres.username}/{@code password}, or
     * {@code spring.datasource.username}/{@code password}), so it takes none of the pool's connections; without a
     * {@code jdbc:postgresql:} URL there (a Docker Compose or Testcontainers service connection sets none) it is one of
     * the pool's. Of the pool's connections the transport holds at most {@code pubsub.postgres.max-pool-connections}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = POSTGRES_TRANSPORT)
    @Conditional(OnPostgresEnabledCondition.class)
    static class Postgres {

        /** Closed with the context, also when no hub uses it; {@link Transport#close()} is idempotent. */
        @Bean(destroyMethod = "close")
        @ConditionalOnMissingBean(Transport.class)
        Transport pubSubPostgresTransport(PubSubProperties properties, ObjectProvider<DataSource> dataSource,
                                          Environment environment,
                                          ObjectProvider<PostgresTransportBuilderCustomizer> customizers) {
            if (StringUtils.hasText(environment.getProperty(OnRedisUriCondition.PROPERTY))) {
                throw new IllegalStateException(BOTH_ENGINES);
            }
            PubSubProperties.Postgres postgres = properties.getPostgres();
            PostgresTransport.Builder builder;
            if (StringUtils.hasText(postgres.getUrl())) {
                builder = PostgresTransport.builder(postgres.getUrl()).username(postgres.getUsername())
                        .password(postgres.getPassword());
            } else {
                DataSource application = dataSource.getIfAvailable();
                if (application == null) {
                    throw new IllegalStateException("pubsub.postgres.enabled=true needs the application's DataSource "
                            + "(spring.datasource.*) or a database of its own (pubsub.postgres.url, .username, "
                            + ".password), and neither is there");
                }
                builder = PostgresTransport.builder(application).maxPoolConnections(postgres.getMaxPoolConnections());
                String url = environment.getProperty("spring.datasource.url");
                if (url != null && url.strip().startsWith("jdbc:postgresql:")) {
                    boolean own = StringUtils.hasText(postgres.getUsername());
                    builder.listenerUrl(url)
                            .username(own ? postgres.getUsername() : environment.getProperty("spring.datasource.username"))
                            .password(own ? postgres.getPassword() : environment.getProperty("spring.datasource.password"));
                }
            }
            builder.schema(postgres.getSchema()).table(postgres.getTable()).createSchema(postgres.isCreateSchema())
                    .listen(postgres.isListen()).maxLength(postgres.getMaxLength())
                    .outboxCapacity(postgres.getOutboxCapacity()).outboxMaxBytes(postgres.getOutboxMaxBytes());
            // empty means the transport's own default, defined once, in its builder
            if (postgres.getPollInterval() != null) {
                builder.pollInterval(postgres.getPollInterval());
            }
            if (postgres.getRetention() != null) {
                builder.retention(postgres.getRetention());
            }
            if (postgres.getHistoryRetention() != null) {
                builder.historyRetention(postgres.getHistoryRetention());
            }
            if (postgres.getCommandTimeout() != null) {
                builder.commandTimeout(postgres.getCommandTimeout());
            }
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            return builder.build();
        }
    }

    /** With {@code pubsub.postgres.enabled=true} but without flow-pubsub-postgres: startup fails, saying what to add. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(POSTGRES_TRANSPORT)
    @Conditional(OnPostgresEnabledCondition.class)
    static class PostgresMissing {

        PostgresMissing() {
            throw new IllegalStateException("pubsub.postgres.enabled=true but flow-pubsub-postgres is not on the "
                    + "classpath: add the dependency dev.flowpubsub:flow-pubsub-postgres");
        }
    }

    /** With {@code pubsub.redis.uri} set but without flow-pubsub-redis: startup fails, saying what to add. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass(REDIS_TRANSPORT)
    @Conditional(OnRedisUriCondition.class)
    static class RedisMissing {

        RedisMissing() {
            throw new IllegalStateException("pubsub.redis.uri is set but flow-pubsub-redis is not on the classpath: "
                    + "add the dependency dev.flowpubsub:flow-pubsub-redis");
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

    /**
     * With Spring Boot's health support (Actuator): the hub as "pubsub" and its transport as "pubsubTransport"
     * (the bean names without their {@code HealthIndicator} suffix, as Spring Boot names contributors).
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(HealthIndicator.class)
    static class Health {

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
    }

    /** With Actuator's health endpoint: "pubsubTransport" is counted only in the groups that include it. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({HealthEndpointGroupsPostProcessor.class, AdditionalPathsMapper.class})
    static class HealthGroups {

        @Bean
        HealthEndpointGroupsPostProcessor pubsubTransportOutOfRootHealth() {
            return groups -> new RootExcludingHealthEndpointGroups(groups, TRANSPORT_HEALTH);
        }
    }
}
