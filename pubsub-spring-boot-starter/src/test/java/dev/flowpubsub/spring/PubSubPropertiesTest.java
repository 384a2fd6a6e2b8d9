package dev.flowpubsub.spring;

import dev.flowpubsub.postgres.PostgresTransport;
import dev.flowpubsub.redis.RedisTransport;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.lang.reflect.Field;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engines' properties: their defaults are written in the starter, so they load without the engines' modules,
 * and equal the builders' own, so they cannot drift apart.
 */
class PubSubPropertiesTest {

    @Test
    void redisDefaults_areTheRedisTransportBuildersOwn() {
        PubSubRedisProperties redis = new PubSubRedisProperties();

        assertThat(redis.getUri()).isNull();
        assertThat(redis.getStream()).isEqualTo(RedisTransport.Builder.DEFAULT_STREAM);
        assertThat(redis.getRetention()).isEqualTo(RedisTransport.Builder.DEFAULT_RETENTION);
        assertThat(redis.getMaxLength()).isEqualTo(RedisTransport.Builder.DEFAULT_MAX_LENGTH);
        assertThat(redis.getOutboxCapacity()).isEqualTo(RedisTransport.Builder.DEFAULT_OUTBOX_CAPACITY);
        assertThat(redis.getOutboxMaxBytes()).isEqualTo(RedisTransport.Builder.DEFAULT_OUTBOX_MAX_BYTES);
        assertThat(redis.getCommandTimeout()).isEqualTo(RedisTransport.Builder.DEFAULT_COMMAND_TIMEOUT);
        assertThat(redis.getHistoryRetention()).isEqualTo(RedisTransport.Builder.DEFAULT_HISTORY_RETENTION);
        assertThat(redis.getTrustedCertificate()).isNull();
    }

    @Test
    void postgresDefaults_areThePostgresTransportBuildersOwn() throws ReflectiveOperationException {
        PubSubPostgresProperties postgres = new PubSubPostgresProperties();

        assertThat(postgres.isEnabled()).isFalse();
        assertThat(postgres.getUrl()).isNull();
        assertThat(postgres.getSchema()).isEqualTo(PostgresTransport.Builder.DEFAULT_SCHEMA);
        assertThat(postgres.getTable()).isEqualTo(PostgresTransport.Builder.DEFAULT_TABLE);
        assertThat(postgres.getPollInterval()).isEqualTo(PostgresTransport.Builder.DEFAULT_POLL_INTERVAL);
        assertThat(postgres.getRetention()).isEqualTo(PostgresTransport.Builder.DEFAULT_RETENTION);
        assertThat(postgres.getMaxLength()).isEqualTo(PostgresTransport.Builder.DEFAULT_MAX_LENGTH);
        assertThat(postgres.getHistoryRetention()).isEqualTo(PostgresTransport.Builder.DEFAULT_HISTORY_RETENTION);
        assertThat(postgres.getOutboxCapacity()).isEqualTo(PostgresTransport.Builder.DEFAULT_OUTBOX_CAPACITY);
        assertThat(postgres.getOutboxMaxBytes()).isEqualTo(PostgresTransport.Builder.DEFAULT_OUTBOX_MAX_BYTES);
        assertThat(postgres.getCommandTimeout()).isEqualTo(PostgresTransport.Builder.DEFAULT_COMMAND_TIMEOUT);
        assertThat(postgres.getMaxPoolConnections())
                .isEqualTo(PostgresTransport.Builder.DEFAULT_MAX_POOL_CONNECTIONS);
        // the builder has no constant for these two: read a new builder's own
        PostgresTransport.Builder builder = PostgresTransport.builder("jdbc:postgresql://127.0.0.1:1/app");
        assertThat(postgres.isListen()).isEqualTo(builderField(builder, "listen"));
        assertThat(postgres.isCreateSchema()).isEqualTo(builderField(builder, "createSchema"));
    }

    private static Object builderField(PostgresTransport.Builder builder, String name)
            throws ReflectiveOperationException {
        Field field = PostgresTransport.Builder.class.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(builder);
    }

    /**
     * {@link PubSubProperties} is made in every application, with or without the engines' modules, so it must name
     * none of their classes. Reading a builder's constant would work only while javac copies it (a number, a
     * string); a {@code Duration} default would load the optional module's class when the properties are made, and
     * fail the startup of every application without that module.
     */
    @Test
    void properties_loadWithoutTheOptionalEngineModules() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> withoutEngines = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator, -1)) {
            Path path = Path.of(entry);
            boolean engine = false;
            for (String module : List.of("pubsub-postgres", "pubsub-redis")) {
                // the reactor's classes folder, or the jar from the local repository
                engine |= path.endsWith(Path.of(module, "target", "classes"))
                        || String.valueOf(path.getFileName()).startsWith("flow-" + module + "-");
            }
            if (!engine) {
                withoutEngines.add(path.toUri().toURL());
            }
        }
        try (URLClassLoader loader = new URLClassLoader(withoutEngines.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            assertThatThrownBy(() -> Class.forName(PostgresTransport.class.getName(), false, loader))
                    .isInstanceOf(ClassNotFoundException.class);
            Object properties = Class.forName(PubSubProperties.class.getName(), true, loader)
                    .getConstructor().newInstance();
            Object postgres = properties.getClass().getMethod("getPostgres").invoke(properties);
            assertThat(postgres.getClass().getMethod("getMaxPoolConnections").invoke(postgres))
                    .isEqualTo(PostgresTransport.Builder.DEFAULT_MAX_POOL_CONNECTIONS);
            assertThat(postgres.getClass().getMethod("getPollInterval").invoke(postgres))
                    .isEqualTo(PostgresTransport.Builder.DEFAULT_POLL_INTERVAL);
            Object redis = properties.getClass().getMethod("getRedis").invoke(properties);
            assertThat(redis.getClass().getMethod("getStream").invoke(redis))
                    .isEqualTo(RedisTransport.Builder.DEFAULT_STREAM);
            assertThat(redis.getClass().getMethod("getRetention").invoke(redis))
                    .isEqualTo(RedisTransport.Builder.DEFAULT_RETENTION);
        }
    }
}
