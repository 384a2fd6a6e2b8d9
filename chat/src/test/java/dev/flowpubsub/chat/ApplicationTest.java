package dev.flowpubsub.chat;

import com.vaadin.flow.server.VaadinServletService;
import com.vaadin.flow.spring.SpringServlet;
import dev.flowpubsub.LongPollCompletion;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.testsupport.Atmospheres;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/** The chat application starts, serves its page, and its pages use the hub that Spring injects. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ApplicationTest {

    @LocalServerPort
    int port;

    @Autowired
    PubSubHub hub;

    @Autowired
    ServletRegistrationBean<SpringServlet> vaadinServlet;

    @Test
    void servesTheChatPage_andPagesShareTheInjectedHub() throws Exception {
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("window.Vaadin"); // the bootstrap page; the view itself renders after it loads
        VaadinServletService service = vaadinServlet.getServlet().getService();
        assertThat(PubSubHub.get(service)).isSameAs(hub);
    }

    @Test
    void vaadinsPush_freesAtmospheresWriteThreadsAfterOneMillisecond_asTheStarterSets() {
        int wait = Atmospheres.writeWaitMillis(vaadinServlet.getServlet().getServletContext());

        assertThat(wait).isEqualTo(1);
    }

    @Test
    void vaadinsPush_isServedByAtmospheresSupportThatCompletesLongPolls() {
        assertThat(Atmospheres.asyncSupport(vaadinServlet.getServlet().getServletContext()))
                .isInstanceOf(LongPollCompletion.Jsr356.class);
    }

    @Test
    void hubMeters_arePublishedThroughActuator() throws Exception {
        hub.sendAll("counted by Micrometer");
        HttpResponse<String> response;
        try (HttpClient client = HttpClient.newHttpClient()) {
            response = client.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:" + port + "/actuator/metrics/pubsub.messages.sent")).build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"name\":\"pubsub.messages.sent\"", "\"statistic\":\"COUNT\"");
        assertThat(hub.stats().sent()).isPositive();
    }
}
