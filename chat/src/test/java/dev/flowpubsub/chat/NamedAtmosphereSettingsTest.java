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
 * Atmosphere settings an application names, in a running Spring Boot app: {@code pubsub.push.atmosphere-write-wait}
 * is the wait Atmosphere's push uses, and an application that names Atmosphere's container support on the Vaadin
 * servlet keeps its choice; naming flow-pubsub's own (as docs/limits-and-tuning.md says to when another library's
 * Atmosphere services hide flow-pubsub's) works. The two settings are independent (the broadcaster's wait, the
 * framework's support), so one application context carries both: one start instead of two.
 * {@link ApplicationTest} checks the defaults.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "pubsub.push.atmosphere-write-wait=7ms")
class NamedAtmosphereSettingsTest {

    @Autowired
    ServletRegistrationBean<SpringServlet> vaadinServlet;

    @Test
    void thePropertysWait_isWhatAtmosphereUses() {
        assertThat(Atmospheres.writeWaitMillis(vaadinServlet.getServlet().getServletContext())).isEqualTo(7);
    }

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
