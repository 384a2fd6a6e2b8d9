package dev.flowpubsub.chat;

import com.vaadin.flow.spring.SpringServlet;
import dev.flowpubsub.testsupport.Atmospheres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;

/** In a running Spring Boot app, {@code pubsub.push.atmosphere-write-wait} is the wait Atmosphere's push uses. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "pubsub.push.atmosphere-write-wait=7ms")
class AtmosphereWriteWaitPropertyTest {

    @Autowired
    ServletRegistrationBean<SpringServlet> vaadinServlet;

    @Test
    void thePropertysWait_isWhatAtmosphereUses() {
        assertThat(Atmospheres.writeWaitMillis(vaadinServlet.getServlet().getServletContext())).isEqualTo(7);
    }
}
