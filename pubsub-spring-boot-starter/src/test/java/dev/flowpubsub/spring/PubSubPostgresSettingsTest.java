package dev.flowpubsub.spring;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.postgres.PostgresTransport;
import dev.flowpubsub.spring.PubSubPostgresAutoConfigurationTest.ServiceConnection;
import dev.flowpubsub.spring.health.PubSubHealthContributorAutoConfiguration;
import dev.flowpubsub.spring.metrics.PubSubMetricsAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code pubsub.postgres.*} settings the starter refuses or leaves alone, decided before any connection is opened:
 * no PostgreSQL process is needed.
 */
class PubSubPostgresSettingsTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PubSubAutoConfiguration.class,
                    PubSubHealthContributorAutoConfiguration.class, PubSubMetricsAutoConfiguration.class));

    /**
     * An application whose DataSource (Spring Boot's HikariCP pool) comes from a service connection, as Docker
     * Compose and Testcontainers give it: no {@code spring.datasource.url}, so no listener URL.
     */
    private ApplicationContextRunner onServiceConnection(String jdbcUrl) {
        return new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                        PubSubAutoConfiguration.class, PubSubHealthContributorAutoConfiguration.class))
                .withPropertyValues("pubsub.postgres.enabled=true")
                .withBean(JdbcConnectionDetails.class, () -> new ServiceConnection(jdbcUrl));
    }

    @Test
    void maxPoolConnectionsOne_withoutAListenerUrl_failsStartup_sayingTheReaderHoldsOneOfThem() {
        onServiceConnection("jdbc:postgresql://127.0.0.1:1/app")
                .withPropertyValues("pubsub.postgres.max-pool-connections=1")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("maxPoolConnections (1) must be at least 2")
                        .hasMessageContaining("without a listenerUrl the reader holds one of the pool's connections"));
    }

    @Test
    void redisAndPostgresBothConfigured_failStartup_sayingToChooseOne() {
        runner.withPropertyValues("pubsub.redis.uri=redis://127.0.0.1:1", "pubsub.postgres.enabled=true",
                        "pubsub.postgres.url=jdbc:postgresql://127.0.0.1:1/app")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("pubsub.redis.uri and pubsub.postgres.enabled=true are both set"));
    }

    @Test
    void postgresEnabled_withoutDataSourceOrUrl_failsStartupSayingWhatItNeeds() {
        runner.withPropertyValues("pubsub.postgres.enabled=true")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("pubsub.postgres.url"));
    }

    @Test
    void postgresEnabled_withoutThePostgresModule_failsStartupSayingWhatToAdd() {
        runner.withClassLoader(new FilteredClassLoader(PostgresTransport.class))
                .withPropertyValues("pubsub.postgres.enabled=true")
                .run(context -> assertThat(context).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("dev.flowpubsub:flow-pubsub-postgres"));
    }

    @Test
    void postgresNotEnabled_leavesTheHubLocal() {
        runner.withPropertyValues("pubsub.postgres.url=jdbc:postgresql://127.0.0.1:1/app")
                .run(context -> assertThat(context.getBean(PubSubHub.class).transportHealth()).isEmpty());
    }
}
