package dev.flowpubsub.chat;

import com.vaadin.flow.server.VaadinServletService;
import com.vaadin.flow.spring.SpringServlet;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.internal.LongPollCompletion;
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
    void thePage_namesItsIcon_andTheIconIsServed_soTheBrowserAsksForNoMissingFavicon() throws Exception {
        try (HttpClient client = HttpClient.newHttpClient()) {
            URI base = URI.create("http://localhost:" + port + "/");
            String page = client.send(HttpRequest.newBuilder(base).build(), HttpResponse.BodyHandlers.ofString()).body();
            java.util.regex.Matcher link = java.util.regex.Pattern.compile("<link[^>]*rel=\"icon\"[^>]*>").matcher(page);
            assertThat(link.find()).as("a <link rel=\"icon\"> in the page: %s", page).isTrue();
            java.util.regex.Matcher icon = java.util.regex.Pattern.compile("href=\"([^\"]+)\"").matcher(link.group());
            assertThat(icon.find()).as(link.group()).isTrue();

            HttpResponse<byte[]> served = client.send(HttpRequest.newBuilder(base.resolve(icon.group(1))).build(),
                    HttpResponse.BodyHandlers.ofByteArray());

            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.headers().firstValue("content-type")).hasValueSatisfying(
                    type -> assertThat(type).startsWith("image/"));
            assertThat(served.body()).isNotEmpty();
        }
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
