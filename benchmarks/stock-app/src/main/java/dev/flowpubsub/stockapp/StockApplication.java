package dev.flowpubsub.stockapp;

import com.vaadin.flow.component.dependency.StyleSheet;
import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.spring.SpringServlet;
import com.vaadin.flow.theme.lumo.Lumo;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * A stock Vaadin 25 Spring Boot application with server push, as a user has it before flow-pubsub: nothing of
 * Vaadin's or Atmosphere's configuration is changed, unless {@code stock.atmosphere-write-wait-ms} is set, which
 * adds Atmosphere's write wait to the Vaadin servlet the way docs/limits-and-tuning.md shows (the "tuned Broadcaster").
 */
@SpringBootApplication
@Push
@StyleSheet(Lumo.STYLESHEET)
public class StockApplication implements AppShellConfigurator {

    public static void main(String[] args) {
        SpringApplication.run(StockApplication.class, args);
    }

    @Bean
    static BeanPostProcessor atmosphereWriteWait(Environment environment) {
        String waitMillis = environment.getProperty("stock.atmosphere-write-wait-ms");
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String name) {
                if (waitMillis != null && bean instanceof ServletRegistrationBean<?> registration
                        && registration.getServlet() instanceof SpringServlet) {
                    registration.addInitParameter("org.atmosphere.cpr.Broadcaster.threadWaitTime", waitMillis);
                }
                return bean;
            }
        };
    }
}
