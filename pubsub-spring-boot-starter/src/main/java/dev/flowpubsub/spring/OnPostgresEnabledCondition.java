package dev.flowpubsub.spring;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;

/** Matches when {@code pubsub.postgres.enabled} is {@code true}. */
class OnPostgresEnabledCondition extends SpringBootCondition {

    static final String PROPERTY = "pubsub.postgres.enabled";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition(PROPERTY + "=true");
        return isSet(context.getEnvironment())
                ? ConditionOutcome.match(message.foundExactly(PROPERTY + "=true"))
                : ConditionOutcome.noMatch(message.didNotFind(PROPERTY + "=true").atAll());
    }

    /** Whether the properties choose PostgreSQL; {@link PubSubEngine} reads them the same way. */
    static boolean isSet(PropertyResolver properties) {
        return "true".equalsIgnoreCase(String.valueOf(properties.getProperty(PROPERTY)).strip());
    }
}
