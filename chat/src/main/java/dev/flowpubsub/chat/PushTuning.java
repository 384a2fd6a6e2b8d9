package dev.flowpubsub.chat;

import com.vaadin.flow.spring.SpringServlet;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Lets one message reach many open pages quickly: an Atmosphere setting (Vaadin's push layer), not a flow-pubsub one.
 *
 * <p>After each push to a browser, Atmosphere keeps one of its 200 write threads on that browser's connection for
 * {@code org.atmosphere.cpr.Broadcaster.threadWaitTime} milliseconds (100 by default), waiting for the next push.
 * When one message goes to more than 200 pages at once, the pages past the 200th wait for a thread to come free:
 * 1,000 pages need five such rounds, about half a second, whatever sends the message. With a wait of 1 ms the
 * threads come free at once (measured in BENCHMARKS.md: the 1,000th page from about 430 to 50 to 70 ms).
 *
 * <p>Set {@code chat.push.write-wait-ms} to change it ({@code 100} restores Atmosphere's default). Without Spring,
 * set the same Atmosphere parameter as an init parameter of the Vaadin servlet.
 */
@Configuration(proxyBeanMethods = false)
class PushTuning {

    static final String ATMOSPHERE_WAIT_TIME = "org.atmosphere.cpr.Broadcaster.threadWaitTime";

    @Bean
    static BeanPostProcessor atmosphereWriteWait(Environment environment) {
        String waitMillis = String.valueOf(environment.getProperty("chat.push.write-wait-ms", Integer.class, 1));
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (bean instanceof ServletRegistrationBean<?> registration
                        && registration.getServlet() instanceof SpringServlet) {
                    registration.addInitParameter(ATMOSPHERE_WAIT_TIME, waitMillis);
                }
                return bean;
            }
        };
    }
}
