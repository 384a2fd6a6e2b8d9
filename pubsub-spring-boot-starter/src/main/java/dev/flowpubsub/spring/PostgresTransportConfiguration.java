package dev.flowpubsub.spring;

import dev.flowpubsub.postgres.PostgresTransport;
import dev.flowpubsub.spi.Transport;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.DependsOn;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

import java.util.Objects;
import javax.sql.DataSource;

import static dev.flowpubsub.spring.BuilderProperties.property;

/**
 * The hub on PostgreSQL: with flow-pubsub-postgres on the classpath and {@code pubsub.postgres.enabled=true}, the
 * transport bean, built from {@code pubsub.postgres.*} ({@link PubSubPostgresProperties}), then every
 * {@link PostgresTransportBuilderCustomizer} bean in order. Imported by {@link PubSubAutoConfiguration}.
 *
 * <p>The transport runs on {@code pubsub.postgres.url} (with its username and password) when set, else on the
 * application's {@link DataSource}. Beside a DataSource, the reader's held {@code LISTEN} connection is opened on
 * {@code spring.datasource.url} (with {@code pubsub.postgres.username}/{@code password}, or
 * {@code spring.datasource.username}/{@code password}), so it takes none of the pool's connections; without a
 * {@code jdbc:postgresql:} URL there (a Docker Compose or Testcontainers service connection sets none) it is one of
 * the pool's. Of the pool's connections the transport holds at most {@code pubsub.postgres.max-pool-connections}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(name = "dev.flowpubsub.postgres.PostgresTransport")
@Conditional(OnPostgresEnabledCondition.class)
class PostgresTransportConfiguration {

    /** Closed with the context, also when no hub uses it; {@link Transport#close()} is idempotent. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean(Transport.class)
    @DependsOn(PubSubEngine.BEAN)
    Transport pubSubPostgresTransport(PubSubProperties properties, ObjectProvider<DataSource> dataSource,
                                      Environment environment,
                                      ObjectProvider<PostgresTransportBuilderCustomizer> customizers) {
        PubSubPostgresProperties postgres = properties.getPostgres();
        PostgresTransport.Builder builder = StringUtils.hasText(postgres.getUrl()) ? ownDatabase(postgres)
                : applicationDataSource(postgres, dataSource.getIfAvailable(), environment);
        PropertyMapper map = PropertyMapper.get();
        map.from(postgres::getSchema).to(property("pubsub.postgres.schema", builder::schema));
        map.from(postgres::getTable).to(property("pubsub.postgres.table", builder::table));
        map.from(postgres::isCreateSchema).to(property("pubsub.postgres.create-schema", builder::createSchema));
        map.from(postgres::isListen).to(property("pubsub.postgres.listen", builder::listen));
        map.from(postgres::getMaxLength).to(property("pubsub.postgres.max-length", builder::maxLength));
        map.from(postgres::getOutboxCapacity).to(property("pubsub.postgres.outbox-capacity", builder::outboxCapacity));
        map.from(postgres::getOutboxMaxBytes)
                .to(property("pubsub.postgres.outbox-max-bytes", builder::outboxMaxBytes));
        map.from(postgres::getPollInterval).to(property("pubsub.postgres.poll-interval", builder::pollInterval));
        map.from(postgres::getRetention).to(property("pubsub.postgres.retention", builder::retention));
        map.from(postgres::getHistoryRetention)
                .to(property("pubsub.postgres.history-retention", builder::historyRetention));
        map.from(postgres::getCommandTimeout).to(property("pubsub.postgres.command-timeout", builder::commandTimeout));
        customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
        return BuilderProperties.build("pubsub.postgres", builder::build);
    }

    /** On {@code pubsub.postgres.url}: connections of the transport's own. */
    private static PostgresTransport.Builder ownDatabase(PubSubPostgresProperties postgres) {
        String url = Objects.requireNonNull(postgres.getUrl(), "pubsub.postgres.url");
        // the builder's message never quotes the URL, which may hold a password
        return BuilderProperties.refusing("pubsub.postgres.url", () -> PostgresTransport.builder(url))
                .username(postgres.getUsername()).password(postgres.getPassword());
    }

    /** On the application's pool, with the reader listening on {@code spring.datasource.url} when it is PostgreSQL's. */
    private static PostgresTransport.Builder applicationDataSource(PubSubPostgresProperties postgres,
                                                                   @Nullable DataSource application,
                                                                   Environment environment) {
        if (application == null) {
            throw new PubSubConfigurationException.NoPostgresDatabase();
        }
        PostgresTransport.Builder builder = PostgresTransport.builder(application);
        PropertyMapper.get().from(postgres::getMaxPoolConnections)
                .to(property("pubsub.postgres.max-pool-connections", builder::maxPoolConnections));
        String url = environment.getProperty("spring.datasource.url");
        if (url != null && url.strip().startsWith("jdbc:postgresql:")) {
            boolean own = StringUtils.hasText(postgres.getUsername());
            property("spring.datasource.url", builder::listenerUrl).accept(url);
            builder.username(own ? postgres.getUsername() : environment.getProperty("spring.datasource.username"))
                    .password(own ? postgres.getPassword() : environment.getProperty("spring.datasource.password"));
        }
        return builder;
    }
}
