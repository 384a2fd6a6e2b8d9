package dev.flowpubsub.spring;

import com.vaadin.flow.spring.SpringServlet;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Atmosphere's write wait on the Vaadin servlet ({@code pubsub.push.atmosphere-write-wait}, 1 ms unless set):
 * without it one message to more than 200 pages takes about half a second, whatever sends it. Imported by
 * {@link PubSubAutoConfiguration}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({SpringServlet.class, ServletRegistrationBean.class})
class PushConfiguration {

    /** Static: a post-processor is created before the other beans, without its configuration's instance. */
    @Bean
    static BeanPostProcessor pubSubAtmosphereWriteWait(Environment environment) {
        return new AtmosphereWriteWaitPostProcessor(environment);
    }
}
