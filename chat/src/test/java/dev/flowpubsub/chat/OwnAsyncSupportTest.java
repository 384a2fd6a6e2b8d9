package dev.flowpubsub.chat;

import com.vaadin.flow.spring.SpringServlet;
import dev.flowpubsub.internal.LongPollCompletion;
import dev.flowpubsub.testsupport.Atmospheres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that names Atmosphere's container support on the Vaadin servlet keeps its choice; naming
 * flow-pubsub's own (as docs/limits-and-tuning.md says to when another library's Atmosphere services hide flow-pubsub's) works.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OwnAsyncSupportTest {

    @Autowired
    ServletRegistrationBean<SpringServlet> vaadinServlet;

    @Test
    void theSupportTheApplicationNamed_isTheOneAtmosphereUses() {
        assertThat(Atmospheres.asyncSupport(vaadinServlet.getServlet().getServletContext()))
                .isInstanceOf(LongPollCompletion.Servlet30.class);
    }

    @TestConfiguration
    static class NamedSupport {

        /** Names the Servlet 3.0 one, which flow-pubsub itself would not choose where the container has WebSockets. */
        @Bean
        static BeanPostProcessor nameAtmospheresSupport() {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessBeforeInitialization(Object bean, String beanName) {
                    if (bean instanceof ServletRegistrationBean<?> registration
                            && registration.getServlet() instanceof SpringServlet) {
                        registration.getInitParameters().put("org.atmosphere.cpr.asyncSupport",
                                LongPollCompletion.Servlet30.class.getName());
                    }
                    return bean;
                }
            };
        }
    }
}
