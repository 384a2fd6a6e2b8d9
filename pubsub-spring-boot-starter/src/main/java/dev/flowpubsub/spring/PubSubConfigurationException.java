package dev.flowpubsub.spring;

import org.jspecify.annotations.Nullable;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@code pubsub.*} setting the starter refuses, failing the startup. Each kind says what is wrong and what to do,
 * which {@link PubSubFailureAnalyzer} shows as Spring Boot's "APPLICATION FAILED TO START" report; the message says the
 * same for logs without that report. Neither ever holds a property's value unless the value cannot be a secret: a URL
 * may hold a password.
 *
 * <p>Thrown on the thread that starts the context.
 */
abstract sealed class PubSubConfigurationException extends RuntimeException
        permits PubSubConfigurationException.BothEngines, PubSubConfigurationException.EngineModuleMissing,
        PubSubConfigurationException.NoPostgresDatabase, PubSubConfigurationException.InvalidProperty {

    private static final long serialVersionUID = 1L;

    PubSubConfigurationException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    /** What is wrong, for the report's "Description". */
    abstract String description();

    /** What to change, for the report's "Action". */
    abstract String action();

    /** {@code pubsub.redis.uri} and {@code pubsub.postgres.enabled=true} together: the hub runs on one engine. */
    static final class BothEngines extends PubSubConfigurationException {

        private static final long serialVersionUID = 1L;

        BothEngines() {
            super("pubsub.redis.uri and pubsub.postgres.enabled=true are both set: the hub runs on one engine, so keep "
                    + "the one your servers share and remove the other", null);
        }

        @Override
        String description() {
            return "pubsub.redis.uri and pubsub.postgres.enabled=true are both set, but the hub runs on one engine.";
        }

        @Override
        String action() {
            return "Keep the engine your servers share and remove the other: remove pubsub.redis.uri (an empty value "
                    + "counts as none), or pubsub.postgres.enabled=true.";
        }
    }

    /** An engine chosen by its property, without its module on the classpath. */
    static final class EngineModuleMissing extends PubSubConfigurationException {

        private static final long serialVersionUID = 1L;

        private final PubSubEngine engine;

        EngineModuleMissing(PubSubEngine engine) {
            super(engine.setting() + " but " + engine.artifact() + " is not on the classpath: add the dependency "
                    + "dev.flowpubsub:" + engine.artifact(), null);
            this.engine = engine;
        }

        @Override
        String description() {
            return engine.setting() + ", but " + engine.artifact() + " is not on the classpath.";
        }

        @Override
        String action() {
            return "Add the dependency dev.flowpubsub:" + engine.artifact() + " (its version comes from "
                    + "dev.flowpubsub:flow-pubsub-bom), or remove " + engine.property() + " to keep the hub on this "
                    + "server only.";
        }
    }

    /** {@code pubsub.postgres.enabled=true} with neither the application's DataSource nor {@code pubsub.postgres.url}. */
    static final class NoPostgresDatabase extends PubSubConfigurationException {

        private static final long serialVersionUID = 1L;

        NoPostgresDatabase() {
            super("pubsub.postgres.enabled=true needs the application's DataSource (spring.datasource.*) or a "
                    + "database of its own (pubsub.postgres.url, .username, .password), and neither is there", null);
        }

        @Override
        String description() {
            return "pubsub.postgres.enabled=true, but the application has no DataSource and pubsub.postgres.url is "
                    + "not set.";
        }

        @Override
        String action() {
            return "Give the application a DataSource (spring-boot-starter-jdbc with spring.datasource.url, .username "
                    + "and .password), or give the hub a database of its own with pubsub.postgres.url, .username and "
                    + ".password.";
        }
    }

    /**
     * A property whose value a builder refused, or that the starter cannot read. The reason is the refusal's
     * message, which names the value only where it cannot be a secret (the transports' builders never show a URL).
     */
    static final class InvalidProperty extends PubSubConfigurationException {

        private static final long serialVersionUID = 1L;

        /** A builder's message that starts with the setting it is about: {@code maxPoolConnections (1) must ...}. */
        private static final Pattern LEADING_SETTING = Pattern.compile("^([a-z][A-Za-z]*)\\b");

        private final String property;

        /** The property, and why it cannot be used: a sentence that starts with the property's name. */
        InvalidProperty(String property, String message, @Nullable Throwable cause) {
            super(message, cause);
            this.property = property;
        }

        /** {@code property}'s value, refused by the builder it was copied onto. */
        static InvalidProperty refused(String property, IllegalArgumentException refusal) {
            return new InvalidProperty(property, property + " is refused: " + refusal.getMessage(), refusal);
        }

        /**
         * The properties under {@code prefix}, refused together when the builder built: the property is the builder
         * setting the message starts with when there is one ({@code maxPoolConnections} is
         * {@code <prefix>.max-pool-connections}), else all of them ({@code <prefix>.*}).
         */
        static InvalidProperty refusedTogether(String prefix, IllegalArgumentException refusal) {
            String reason = String.valueOf(refusal.getMessage());
            Matcher setting = LEADING_SETTING.matcher(reason);
            String property = setting.find() && setting.group(1).chars().anyMatch(Character::isUpperCase)
                    ? prefix + "." + kebab(setting.group(1)) : prefix + ".*";
            return new InvalidProperty(property, property + " is refused: " + reason, refusal);
        }

        private static String kebab(String camel) {
            return camel.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
        }

        /** The property at fault, such as {@code pubsub.postgres.url}, or {@code pubsub.postgres.*}. */
        String property() {
            return property;
        }

        @Override
        String description() {
            return String.valueOf(getMessage()); // always set by the factories above
        }

        @Override
        String action() {
            return "Change " + property + " so that it meets the reason above.";
        }
    }
}
