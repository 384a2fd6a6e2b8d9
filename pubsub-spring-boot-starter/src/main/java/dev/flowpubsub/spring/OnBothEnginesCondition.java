package dev.flowpubsub.spring;

import org.springframework.boot.autoconfigure.condition.AllNestedConditions;
import org.springframework.context.annotation.Conditional;

/** Matches when both Redis ({@code pubsub.redis.uri}) and PostgreSQL ({@code pubsub.postgres.enabled}) are set. */
class OnBothEnginesCondition extends AllNestedConditions {

    OnBothEnginesCondition() {
        super(ConfigurationPhase.REGISTER_BEAN);
    }

    @Conditional(OnRedisUriCondition.class)
    static class Redis {
    }

    @Conditional(OnPostgresEnabledCondition.class)
    static class Postgres {
    }
}
