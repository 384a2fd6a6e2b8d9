package dev.flowpubsub.spring;

import com.vaadin.flow.server.VaadinServiceInitListener;
import dev.flowpubsub.ClusterSignals;
import dev.flowpubsub.DeliveryErrorHandler;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.JsonCodec;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.PubSubHubBuilder;
import dev.flowpubsub.TopicAuthorizer;
import dev.flowpubsub.spi.MessageCodec;
import dev.flowpubsub.spi.Transport;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

import static dev.flowpubsub.spring.BuilderProperties.property;

/**
 * Makes the application's {@link PubSubHub} a Spring bean, configured from {@code pubsub.*}
 * ({@link PubSubProperties}), and installs it into the Vaadin service so that {@code PubSub.of(ui)} and
 * the injected bean are one hub. Define your own {@code PubSubHub} bean to replace it; a
 * {@link DeliveryErrorHandler}, {@link TopicAuthorizer}, {@link HistoryPolicy}, {@link Transport} or
 * {@link MessageCodec} bean, if present, is used by it, and every {@link PubSubHubBuilderCustomizer} bean is applied
 * to its builder after the properties.
 *
 * <p>The engine between servers comes from a configuration of its own, imported here: with {@code pubsub.redis.uri}
 * set (to a non-blank value) and flow-pubsub-redis on the classpath, the hub runs on Redis
 * ({@link RedisTransportConfiguration}); with {@code pubsub.postgres.enabled=true} and flow-pubsub-postgres, on
 * PostgreSQL ({@link PostgresTransportConfiguration}). Both at once, or one without its module, fail the startup
 * ({@link PubSubEngine}), and {@link PubSubFailureAnalyzer} explains what to change. The hub's health and meters come
 * from their own auto-configurations, in the {@code health} and {@code metrics} packages.
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
@Import({RedisTransportConfiguration.class, PostgresTransportConfiguration.class, PushConfiguration.class})
public class PubSubAutoConfiguration {

    /**
     * The engine the properties choose, checked once per context, whether or not the application defines its own
     * hub or transport; each engine's transport is built after it.
     */
    @Bean(PubSubEngine.BEAN)
    PubSubEngine pubSubEngine(Environment environment, ResourceLoader resourceLoader) {
        return PubSubEngine.chosen(environment, resourceLoader.getClassLoader());
    }

    /** The hub; Spring closes it (and its transport) with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public PubSubHub pubSubHub(PubSubProperties properties, ObjectProvider<DeliveryErrorHandler> errorHandler,
                               ObjectProvider<Transport> transport, ObjectProvider<MessageCodec> codec,
                               ObjectProvider<HistoryPolicy> historyPolicy, ObjectProvider<TopicAuthorizer> authorizer,
                               ObjectProvider<PubSubHubBuilderCustomizer> customizers) {
        PubSubHubBuilder builder = PubSubHub.builder();
        PropertyMapper map = PropertyMapper.get();
        map.from(properties::getQueueCapacity).to(property("pubsub.queue-capacity", builder::queueCapacity));
        map.from(properties::getOverflowPolicy).to(property("pubsub.overflow-policy", builder::overflowPolicy));
        map.from(properties::getMinBatchInterval).to(property("pubsub.min-batch-interval", builder::minBatchInterval));
        map.from(properties::getMaxMessageBytes).to(property("pubsub.max-message-bytes", builder::maxMessageBytes));
        map.from(properties::getInboxCapacity).to(property("pubsub.inbox-capacity", builder::inboxCapacity));
        map.from(properties::getSendTimeout).to(property("pubsub.send-timeout", builder::sendTimeout));
        map.from(properties.getPresence()::getDisconnectGrace)
                .to(property("pubsub.presence.disconnect-grace", builder::presenceDisconnectGrace));
        map.from(properties::getMaxLanes).to(property("pubsub.max-lanes", builder::maxLanes));
        PubSubProperties.SendBudget budget = properties.getSendBudget();
        map.from(budget).when(PubSubProperties.SendBudget::isEnabled)
                .to(property("pubsub.send-budget", enabled -> builder.sendBudget(enabled.getRate(), enabled.getBurst())));
        map.from(budget::isEnabled).whenFalse().toCall(builder::noSendBudget);
        map.from(properties::getNodeId).whenHasText().to(property("pubsub.node-id", builder::nodeId));
        map.from(properties::getPresenceHeartbeat)
                .to(property("pubsub.presence-heartbeat", builder::presenceHeartbeat));
        errorHandler.ifAvailable(builder::errorHandler);
        authorizer.ifAvailable(builder::authorizer);
        builder.history(historyPolicy.getIfAvailable(() -> fromProperties(properties.getHistory())));
        transport.ifAvailable(builder::transport);
        builder.codec(codec.getIfAvailable(() -> codecFromProperties(properties)));
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return BuilderProperties.build("pubsub", builder::build);
    }

    private static HistoryPolicy fromProperties(PubSubProperties.History history) {
        if (history.getSize() == 0 || history.getTopicPrefixes().isEmpty()) {
            return HistoryPolicy.none();
        }
        return BuilderProperties.refusing("pubsub.history",
                () -> HistoryPolicy.keep(history.getSize(), history.getTopicPrefixes().toArray(String[]::new)));
    }

    private static MessageCodec codecFromProperties(PubSubProperties properties) {
        return BuilderProperties.refusing("pubsub.allowed-types", () -> JsonCodec.allowing(properties.getAllowedTypes()));
    }

    /**
     * Vaadin's shared signals by name on the hub's engine ({@link PubSubHub#signals()}). Lazy: made where it is first
     * injected, so an application that uses no shared signal starts no signal thread and, on PostgreSQL, makes no
     * signal tables.
     */
    @Bean
    @Lazy
    @ConditionalOnMissingBean
    public ClusterSignals clusterSignals(PubSubHub hub) {
        return hub.signals();
    }

    /** Installs the bean as the hub of the Vaadin service, so pages and the bean share it. */
    @Bean
    public VaadinServiceInitListener pubSubHubInstaller(PubSubHub hub) {
        return event -> PubSubHub.install(event.getSource(), hub, false);
    }
}
