package dev.flowpubsub.spring;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.postgres.PostgresTransport;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import java.time.Duration;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code pubsub.postgres.*}: the hub on PostgreSQL, on a URL of its own or on the application's DataSource. */
class PubSubPostgresAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PubSubAutoConfiguration.class))
            .withPropertyValues("pubsub.allowed-types=" + PubSubAutoConfigurationTest.Price.class.getName());

    private static void crossesBetween(PubSubHub a, PubSubHub b, HealthIndicator bHealth) {
        await().atMost(Duration.ofSeconds(20)).until(() -> bHealth.health().getStatus().equals(Status.UP));
        a.sendAllOnTopic("prices", new PubSubAutoConfigurationTest.Price("ACME", 42));
        await().atMost(Duration.ofSeconds(20)).until(() -> b.stats().remoteReceived() == 1);
    }

    @Test
    void postgresUrl_runsTheHubOnPostgres_messagesCrossContexts_andHealthShowsTheUrlWithoutThePassword() {
        try (PostgresServer postgres = PostgresServer.start("pw-of-the-db")) {
            ApplicationContextRunner onPostgres = runner.withPropertyValues("pubsub.postgres.enabled=true",
                    "pubsub.postgres.url=" + postgres.jdbcUrl() + "?ApplicationName=chat",
                    "pubsub.postgres.username=postgres", "pubsub.postgres.password=" + postgres.password(),
                    "pubsub.postgres.table=chat_bus");
            onPostgres.run(nodeA -> onPostgres.run(nodeB -> {
                PubSubHub b = nodeB.getBean(PubSubHub.class);
                HealthIndicator bHealth = nodeB.getBean("pubsubHealthIndicator", HealthIndicator.class);
                crossesBetween(nodeA.getBean(PubSubHub.class), b, bHealth);

                Health health = bHealth.health();
                assertThat(health.getDetails()).containsEntry("engine", "postgres")
                        .containsEntry("url", postgres.jdbcUrl())
                        .containsEntry("log", "public.chat_bus_log")
                        .containsEntry("node", b.nodeId().orElseThrow());
                assertThat(health.toString()).doesNotContain("pw-of-the-db");
                assertThat(nodeB.getBean(PubSubAutoConfiguration.TRANSPORT_HEALTH + "HealthIndicator",
                        HealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
            }));
        }
    }

    @Test
    void postgresEnabled_onTheApplicationsDataSource_messagesCrossContexts() {
        try (PostgresServer postgres = PostgresServer.start()) {
            ApplicationContextRunner onDataSource = runner
                    .withBean(DataSource.class, () -> {
                        PGSimpleDataSource dataSource = new PGSimpleDataSource();
                        dataSource.setUrl(postgres.jdbcUrl());
                        dataSource.setUser("postgres");
                        return dataSource;
                    })
                    .withPropertyValues("pubsub.postgres.enabled=true", "spring.datasource.url=" + postgres.jdbcUrl(),
                            "spring.datasource.username=postgres");
            onDataSource.run(nodeA -> onDataSource.run(nodeB -> {
                assertThat(nodeB.getBean(PostgresTransport.class).toString()).contains(postgres.jdbcUrl());
                crossesBetween(nodeA.getBean(PubSubHub.class), nodeB.getBean(PubSubHub.class),
                        nodeB.getBean("pubsubHealthIndicator", HealthIndicator.class));
            }));
        }
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
