package dev.flowpubsub.spring;

import com.vaadin.flow.server.VaadinServiceInitListener;
import dev.flowpubsub.postgres.PostgresTransport;
import dev.flowpubsub.redis.RedisTransport;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spring.PubSubConfigurationException.BothEngines;
import dev.flowpubsub.spring.PubSubConfigurationException.EngineModuleMissing;
import dev.flowpubsub.spring.PubSubConfigurationException.InvalidProperty;
import dev.flowpubsub.spring.PubSubConfigurationException.NoPostgresDatabase;
import dev.flowpubsub.spring.PubSubPostgresAutoConfigurationTest.ServiceConnection;
import dev.flowpubsub.testing.InMemoryTransport;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.support.SpringFactoriesLoader;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A startup the starter refuses is explained: what is wrong and what to change, never a password. The first tests
 * analyse each refusal as Spring Boot's own failure-analyzer tests do; the others start a context that meets it.
 */
class PubSubFailureAnalyzerTest {

    private static final String SECRET = "s3cret-pw";

    private final PubSubFailureAnalyzer analyzer = new PubSubFailureAnalyzer();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PubSubAutoConfiguration.class));

    /* --- each refusal, analysed --- */

    @Test
    void bothEngines_saysToKeepTheOneTheServersShare() {
        FailureAnalysis analysis = analyzer.analyze(new BothEngines());

        assertThat(analysis.getDescription()).isEqualTo("pubsub.redis.uri and pubsub.postgres.enabled=true are both "
                + "set, but the hub runs on one engine.");
        assertThat(analysis.getAction()).isEqualTo("Keep the engine your servers share and remove the other: remove "
                + "pubsub.redis.uri (an empty value counts as none), or pubsub.postgres.enabled=true.");
    }

    @Test
    void redisModuleMissing_saysWhichDependencyToAdd() {
        FailureAnalysis analysis = analyzer.analyze(new EngineModuleMissing(PubSubEngine.REDIS));

        assertThat(analysis.getDescription())
                .isEqualTo("pubsub.redis.uri is set, but flow-pubsub-redis is not on the classpath.");
        assertThat(analysis.getAction()).isEqualTo("Add the dependency dev.flowpubsub:flow-pubsub-redis (its version "
                + "comes from dev.flowpubsub:flow-pubsub-bom), or remove pubsub.redis.uri to keep the hub on this "
                + "server only.");
    }

    @Test
    void postgresModuleMissing_saysWhichDependencyToAdd() {
        FailureAnalysis analysis = analyzer.analyze(new EngineModuleMissing(PubSubEngine.POSTGRES));

        assertThat(analysis.getDescription())
                .isEqualTo("pubsub.postgres.enabled=true, but flow-pubsub-postgres is not on the classpath.");
        assertThat(analysis.getAction()).startsWith("Add the dependency dev.flowpubsub:flow-pubsub-postgres")
                .endsWith("or remove pubsub.postgres.enabled to keep the hub on this server only.");
    }

    @Test
    void noPostgresDatabase_saysWhereTheHubMayGetOne() {
        FailureAnalysis analysis = analyzer.analyze(new NoPostgresDatabase());

        assertThat(analysis.getDescription()).isEqualTo("pubsub.postgres.enabled=true, but the application has no "
                + "DataSource and pubsub.postgres.url is not set.");
        assertThat(analysis.getAction()).contains("spring.datasource.url").contains("pubsub.postgres.url");
    }

    @Test
    void refusedProperty_namesThePropertyAndTheBuildersReason() {
        FailureAnalysis analysis = analyzer.analyze(InvalidProperty.refused("pubsub.redis.max-length",
                new IllegalArgumentException("maxLength must be at least 1 (got 0)")));

        assertThat(analysis.getDescription())
                .isEqualTo("pubsub.redis.max-length is refused: maxLength must be at least 1 (got 0)");
        assertThat(analysis.getAction()).isEqualTo("Change pubsub.redis.max-length so that it meets the reason above.");
    }

    @Test
    void propertiesRefusedTogether_nameTheSettingTheReasonStartsWith_orAllOfThem() {
        InvalidProperty pool = InvalidProperty.refusedTogether("pubsub.postgres",
                new IllegalArgumentException("maxPoolConnections (1) must be at least 2: without a listenerUrl ..."));
        InvalidProperty other = InvalidProperty.refusedTogether("pubsub.postgres",
                new IllegalArgumentException("malformed settings"));

        assertThat(pool.property()).isEqualTo("pubsub.postgres.max-pool-connections");
        assertThat(analyzer.analyze(pool).getAction()).startsWith("Change pubsub.postgres.max-pool-connections ");
        assertThat(other.property()).isEqualTo("pubsub.postgres.*");
        assertThat(analyzer.analyze(other).getDescription()).isEqualTo("pubsub.postgres.* is refused: malformed "
                + "settings");
    }

    @Test
    void otherFailures_areLeftToTheirOwnAnalyzers() {
        assertThat(analyzer.analyze(new IllegalStateException("not ours"))).isNull();
    }

    @Test
    void analyzer_isRegisteredWhereSpringBootLooksForAnalyzers() {
        // Spring Boot gives some of its own analyzers constructor arguments: those are not made here
        SpringFactoriesLoader.FailureHandler skipOthers = (type, implementation, failure) -> { };
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class, null, skipOthers))
                .hasAtLeastOneElementOfType(PubSubFailureAnalyzer.class);
    }

    /* --- startups that meet them --- */

    @Test
    void bothEngines_failTheStartup_beforeEitherTransportIsBuilt() {
        AtomicInteger transportsBuilt = new AtomicInteger();
        runner.withPropertyValues("pubsub.redis.uri=redis://127.0.0.1:1", "pubsub.postgres.enabled=true",
                        "pubsub.postgres.url=jdbc:postgresql://127.0.0.1:1/app")
                .withBean(RedisTransportBuilderCustomizer.class, () -> builder -> transportsBuilt.incrementAndGet())
                .withBean(PostgresTransportBuilderCustomizer.class, () -> builder -> transportsBuilt.incrementAndGet())
                .run(context -> {
                    assertThat(analysis(context).getDescription()).startsWith("pubsub.redis.uri and "
                            + "pubsub.postgres.enabled=true are both set");
                    assertThat(transportsBuilt).hasValue(0);
                });
    }

    @Test
    void bothEngines_failTheStartup_evenWithTheApplicationsOwnHubAndTransport() {
        runner.withUserConfiguration(PubSubAutoConfigurationTest.OwnHub.class)
                .withBean(Transport.class, () -> new InMemoryTransport.Bus().newTransport())
                .withPropertyValues("pubsub.redis.uri=redis://127.0.0.1:1", "pubsub.postgres.enabled=true")
                .run(context -> assertThat(analysis(context).getCause()).isInstanceOf(BothEngines.class));
    }

    @Test
    void enginesWithoutTheirModules_failTheStartup_sayingWhatToAdd() {
        runner.withClassLoader(new FilteredClassLoader(RedisTransport.class))
                .withPropertyValues("pubsub.redis.uri=redis://127.0.0.1:1")
                .run(context -> assertThat(analysis(context).getAction())
                        .startsWith("Add the dependency dev.flowpubsub:flow-pubsub-redis"));
        runner.withClassLoader(new FilteredClassLoader(PostgresTransport.class))
                .withPropertyValues("pubsub.postgres.enabled=true")
                .run(context -> assertThat(analysis(context).getAction())
                        .startsWith("Add the dependency dev.flowpubsub:flow-pubsub-postgres"));
    }

    @Test
    void postgresWithoutADatabase_failsTheStartup_sayingWhereToGetOne() {
        runner.withPropertyValues("pubsub.postgres.enabled=true").run(context ->
                assertThat(analysis(context).getCause()).isInstanceOf(NoPostgresDatabase.class));
    }

    @Test
    void postgresUrlThatIsNotPostgresqls_failsTheStartup_withoutShowingThePassword() {
        runner.withPropertyValues("pubsub.postgres.enabled=true",
                        "pubsub.postgres.url=jdbc:mysql://app:" + SECRET + "@db:3306/app",
                        "pubsub.postgres.password=" + SECRET)
                .run(context -> {
                    FailureAnalysis analysis = analysis(context);
                    assertThat(analysis.getDescription()).startsWith("pubsub.postgres.url is refused: a PostgreSQL "
                            + "JDBC URL must start with jdbc:postgresql:");
                    assertThat(analysis.getAction()).startsWith("Change pubsub.postgres.url ");
                    assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(SECRET);
                });
    }

    @Test
    void postgresUrlWithUserInformation_failsTheStartup_withoutShowingThePassword() {
        runner.withPropertyValues("pubsub.postgres.enabled=true",
                        "pubsub.postgres.url=jdbc:postgresql://app:" + SECRET + "@db:5432/app")
                .run(context -> {
                    FailureAnalysis analysis = analysis(context);
                    assertThat(analysis.getDescription()).startsWith("pubsub.postgres.url is refused: ")
                            .contains("user information");
                    assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(SECRET);
                });
    }

    @Test
    void redisUriThatIsNotRedis_failsTheStartup_withoutShowingThePassword() {
        runner.withPropertyValues("pubsub.redis.uri=http://:" + SECRET + "@cache:6379").run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).startsWith("pubsub.redis.uri is refused: Redis URI must start with");
            assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(SECRET);
        });
    }

    @Test
    void maxPoolConnectionsBelowOne_failsTheStartup_namingTheProperty() {
        onServiceConnection().withPropertyValues("pubsub.postgres.max-pool-connections=0").run(context ->
                assertThat(analysis(context).getDescription()).isEqualTo("pubsub.postgres.max-pool-connections is "
                        + "refused: maxPoolConnections must be at least 1 (got 0)"));
    }

    @Test
    void maxPoolConnectionsOne_withoutAListenerUrl_failsTheStartup_namingTheProperty() {
        onServiceConnection().withPropertyValues("pubsub.postgres.max-pool-connections=1").run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).startsWith("pubsub.postgres.max-pool-connections is refused: "
                    + "maxPoolConnections (1) must be at least 2");
            assertThat(analysis.getAction()).startsWith("Change pubsub.postgres.max-pool-connections ");
        });
    }

    @Test
    void hubPropertyTheBuilderRefuses_failsTheStartup_namingTheProperty() {
        runner.withPropertyValues("pubsub.queue-capacity=0").run(context ->
                assertThat(analysis(context).getDescription())
                        .isEqualTo("pubsub.queue-capacity is refused: queueCapacity must be at least 1 (got 0)"));
    }

    @Test
    void atmosphereWriteWaitThatIsNoDuration_failsTheStartup_namingTheProperty() {
        runner.withPropertyValues("pubsub.push.atmosphere-write-wait=soon").run(context -> {
            FailureAnalysis analysis = analysis(context);
            assertThat(analysis.getDescription()).startsWith("pubsub.push.atmosphere-write-wait must be a duration in "
                    + "whole milliseconds").endsWith("(got 'soon')");
            assertThat(analysis.getAction()).startsWith("Change pubsub.push.atmosphere-write-wait ");
        });
    }

    @Test
    void aStartupWithoutRefusals_hasNothingToAnalyse() {
        runner.run(context -> assertThat(context).hasNotFailed().hasSingleBean(VaadinServiceInitListener.class));
    }

    /** An application on Spring Boot's pool from a service connection: no {@code spring.datasource.url}. */
    private ApplicationContextRunner onServiceConnection() {
        return runner.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class))
                .withPropertyValues("pubsub.postgres.enabled=true")
                .withBean(JdbcConnectionDetails.class, () -> new ServiceConnection("jdbc:postgresql://127.0.0.1:1/app"));
    }

    /** The analysis of the context's failed startup, as Spring Boot would print it. */
    private FailureAnalysis analysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = analyzer.analyze(context.getStartupFailure());
        assertThat(analysis).as("the analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }
}
