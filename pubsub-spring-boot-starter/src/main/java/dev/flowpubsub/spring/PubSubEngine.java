package dev.flowpubsub.spring;

import org.jspecify.annotations.Nullable;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.ClassUtils;

/**
 * The engine the {@code pubsub.*} properties choose for carrying messages between servers: none ({@link #LOCAL}),
 * Redis or PostgreSQL. {@link #chosen} is where the starter refuses a choice it cannot honour; it runs once per
 * context, as the {@code pubSubEngine} bean, before either engine's transport is built.
 *
 * <p>Immutable; {@link #chosen} runs on the thread that starts the context.
 */
enum PubSubEngine {

    /** No engine: the hub delivers to this server's pages only. */
    LOCAL(null, null, null, null),

    /** Redis: {@code pubsub.redis.uri} has text ({@link OnRedisUriCondition}). */
    REDIS(OnRedisUriCondition.PROPERTY, OnRedisUriCondition.PROPERTY + " is set", "flow-pubsub-redis",
            "dev.flowpubsub.redis.RedisTransport"),

    /** PostgreSQL: {@code pubsub.postgres.enabled=true} ({@link OnPostgresEnabledCondition}). */
    POSTGRES(OnPostgresEnabledCondition.PROPERTY, OnPostgresEnabledCondition.PROPERTY + "=true",
            "flow-pubsub-postgres", "dev.flowpubsub.postgres.PostgresTransport");

    /** The name of the bean whose creation runs {@link #chosen}, for transports to depend on. */
    static final String BEAN = "pubSubEngine";

    private final @Nullable String property;
    private final @Nullable String setting;
    private final @Nullable String artifact;
    private final @Nullable String transportClass;

    PubSubEngine(@Nullable String property, @Nullable String setting, @Nullable String artifact,
                 @Nullable String transportClass) {
        this.property = property;
        this.setting = setting;
        this.artifact = artifact;
        this.transportClass = transportClass;
    }

    /**
     * The engine the properties choose, with the same reading as the conditions that bring in each engine's
     * configuration (a blank URI is none).
     *
     * @throws PubSubConfigurationException.BothEngines when Redis and PostgreSQL are both chosen
     * @throws PubSubConfigurationException.EngineModuleMissing when the chosen engine's module is not on the
     *         classpath of {@code classLoader}
     */
    static PubSubEngine chosen(PropertyResolver properties, @Nullable ClassLoader classLoader) {
        boolean redis = OnRedisUriCondition.isSet(properties);
        boolean postgres = OnPostgresEnabledCondition.isSet(properties);
        if (redis && postgres) {
            throw new PubSubConfigurationException.BothEngines();
        }
        PubSubEngine engine = redis ? REDIS : postgres ? POSTGRES : LOCAL;
        if (engine != LOCAL && !ClassUtils.isPresent(engine.transportClass(), classLoader)) {
            throw new PubSubConfigurationException.EngineModuleMissing(engine);
        }
        return engine;
    }

    /** The property that chooses this engine, such as {@code pubsub.redis.uri}. */
    String property() {
        return require(property);
    }

    /** How the properties choose it, for messages: {@code pubsub.redis.uri is set}. */
    String setting() {
        return require(setting);
    }

    /** The artifact id of its module, such as {@code flow-pubsub-redis}. */
    String artifact() {
        return require(artifact);
    }

    /** The name of its transport class, there only when the module is on the classpath. */
    String transportClass() {
        return require(transportClass);
    }

    private String require(@Nullable String value) {
        if (value == null) {
            throw new IllegalStateException(name() + " is no engine");
        }
        return value;
    }
}
