package dev.flowpubsub.spring;

import com.vaadin.flow.spring.SpringServlet;
import dev.flowpubsub.internal.AtmosphereWriteWait;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.core.env.Environment;

import java.time.Duration;
import java.util.Map;

/**
 * Hands {@code pubsub.push.atmosphere-write-wait} to Atmosphere through the Vaadin servlet's init parameters, where
 * Atmosphere reads its settings. Keeps what the application sets on the servlet itself. flow-pubsub's Atmosphere
 * service ({@link AtmosphereWriteWait}) reads the same parameters without Spring; setting Atmosphere's own parameter
 * here too keeps the setting if another library's Atmosphere service file hides flow-pubsub's.
 *
 * A value that is no duration in whole milliseconds fails the startup, explained by {@link PubSubFailureAnalyzer}.
 *
 * <p>Threading: Spring calls it while it creates beans, before the web server starts the servlet.
 */
final class AtmosphereWriteWaitPostProcessor implements BeanPostProcessor {

    static final String PROPERTY = "pubsub.push.atmosphere-write-wait";

    /** The wait to set, or {@code null} to leave Atmosphere's own. */
    private final @Nullable Integer millis;

    AtmosphereWriteWaitPostProcessor(Environment environment) {
        // read here, not from PubSubProperties: a post-processor is created before configuration properties are bound
        String value = Binder.get(environment).bind(PROPERTY, String.class)
                .orElse(AtmosphereWriteWait.DEFAULT_MILLIS + "ms");
        this.millis = value.isBlank() ? null : millis(value);
    }

    @Override
    public Object postProcessBeforeInitialization(Object bean, String beanName) {
        if (bean instanceof ServletRegistrationBean<?> registration && registration.getServlet() instanceof SpringServlet) {
            Map<String, String> parameters = registration.getInitParameters();
            if (millis == null) {
                parameters.putIfAbsent(AtmosphereWriteWait.PARAMETER, "");
            } else {
                parameters.putIfAbsent(AtmosphereWriteWait.PARAMETER, millis.toString());
                parameters.putIfAbsent(AtmosphereWriteWait.ATMOSPHERE_PARAMETER, millis.toString());
            }
        }
        return bean;
    }

    /** A duration such as {@code 1ms} or {@code 0}, in whole milliseconds. */
    static int millis(String value) {
        Duration wait;
        try {
            wait = DurationStyle.detectAndParse(value.strip());
        } catch (IllegalArgumentException notADuration) {
            throw invalid(value, notADuration);
        }
        if (wait.isNegative() || wait.toNanos() % 1_000_000 != 0 || wait.toMillis() > Integer.MAX_VALUE) {
            throw invalid(value, null);
        }
        return (int) wait.toMillis();
    }

    /** A refusal that names the value: a duration is no secret, and seeing it helps. */
    private static PubSubConfigurationException invalid(String value, @Nullable Exception cause) {
        return new PubSubConfigurationException.InvalidProperty(PROPERTY, PROPERTY + " must be a duration in whole "
                + "milliseconds, 0 or more, such as 1ms, or empty for Atmosphere's own wait (got '" + value + "')",
                cause);
    }
}
