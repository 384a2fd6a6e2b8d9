package dev.flowpubsub.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a startup that failed on a {@code pubsub.*} setting the starter refuses ({@link PubSubConfigurationException},
 * wherever it sits among the causes): what is wrong and what to change, as Spring Boot's
 * "APPLICATION FAILED TO START" report. Registered in {@code META-INF/spring.factories}, where Spring Boot looks for
 * failure analyzers.
 *
 * <p>Called by Spring Boot on the thread whose startup failed; stateless.
 */
class PubSubFailureAnalyzer extends AbstractFailureAnalyzer<PubSubConfigurationException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, PubSubConfigurationException cause) {
        return new FailureAnalysis(cause.description(), cause.action(), cause);
    }
}
