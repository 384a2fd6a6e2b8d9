package dev.flowpubsub.spring;

import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.env.PropertyResolver;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.StringUtils;

/**
 * Matches when {@code pubsub.redis.uri} has text. An empty or blank value ({@code PUBSUB_REDIS_URI=} in a
 * container's environment, say) means "no Redis", as if it were not set; {@code @ConditionalOnProperty} cannot
 * say this, since it matches any value but {@code false}.
 */
class OnRedisUriCondition extends SpringBootCondition {

    static final String PROPERTY = "pubsub.redis.uri";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConditionMessage.Builder message = ConditionMessage.forCondition(PROPERTY + " with text");
        return isSet(context.getEnvironment())
                ? ConditionOutcome.match(message.foundExactly(PROPERTY))
                : ConditionOutcome.noMatch(message.didNotFind(PROPERTY + " with text").atAll());
    }

    /** Whether the properties choose Redis; {@link PubSubEngine} reads them the same way. */
    static boolean isSet(PropertyResolver properties) {
        return StringUtils.hasText(properties.getProperty(PROPERTY));
    }
}
