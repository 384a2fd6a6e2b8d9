package dev.flowpubsub.chat;

import dev.flowpubsub.testsupport.PushClient;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.Filter;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.atmosphere.cpr.AtmosphereRequest;
import org.atmosphere.cpr.AtmosphereResource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Pages that take their pushes by long polling keep receiving when a push is written while their poll is being
 * suspended. Atmosphere suspends a poll in two steps (the handler's {@code suspend()}, then the servlet's
 * {@code startAsync()} and its note of the async context); a push written between them resumed the poll before
 * there was an async context to complete, and the poll then hung for good: the page received nothing more (1 or 2
 * pages of 1,000 under load). In production the window is microseconds wide; here a filter holds every poll inside
 * {@code startAsync()} until a push has resumed it, so every message falls into it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class LongPollingTest {

    private static final int MESSAGES = 10;
    /** Polls that a push resumed while they were held between the two steps: the race, made to happen. */
    private static final AtomicInteger RESUMED_WHILE_SUSPENDING = new AtomicInteger();

    @LocalServerPort
    int port;

    @Test
    void pushWrittenWhileItsPollIsBeingSuspended_stillAnswersThePoll() throws Exception {
        Set<String> received = ConcurrentHashMap.newKeySet();
        PushClient.Receipts receipts = new PushClient.Receipts() {
            @Override
            public void received(int client, long seq, long nanos) {
                received.add(client + ":" + seq);
            }

            @Override
            public void pushed(int client) {
            }
        };
        List<PushClient> clients = new ArrayList<>();
        HttpClient http = HttpClient.newHttpClient();
        try {
            URI base = URI.create("http://localhost:" + port + "/");
            for (int i = 0; i < 3; i++) {
                PushClient client = new PushClient(i, http, base, "", receipts, Duration.ofSeconds(20),
                        PushClient.Channel.LONG_POLLING, null);
                client.open();
                clients.add(client);
            }
            PushClient sender = clients.getFirst();
            for (int seq = 0; seq < MESSAGES; seq++) {
                await().atMost(Duration.ofSeconds(10)).until(sender::idle);
                assertThat(sender.send("long poll qz" + seq + "zq")).isTrue();
                Thread.sleep(100);
            }

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                for (PushClient client : clients) {
                    for (int seq = 0; seq < MESSAGES; seq++) {
                        assertThat(received).as(client.describe()).contains(client.index() + ":" + seq);
                    }
                }
            });
            for (PushClient client : clients) { // a page whose poll hung only catches up by asking for everything
                assertThat(client.resynchronizations()).as(client.describe()).isZero();
            }
            assertThat(RESUMED_WHILE_SUSPENDING).as("polls resumed while being suspended").hasPositiveValue();
        } finally {
            for (PushClient client : clients) {
                var unused = client.close();
            }
            http.shutdownNow(); // not close(): that would wait for a poll that hangs
        }
    }

    /** Holds each long poll right after the container made it asynchronous, until a push resumed it (or 1 s). */
    @TestConfiguration
    static class SlowSuspend {

        @Bean
        FilterRegistrationBean<Filter> slowLongPollSuspend() {
            Filter filter = (request, response, chain) -> {
                HttpServletRequest http = (HttpServletRequest) request;
                boolean longPoll = "GET".equals(http.getMethod()) && http.getQueryString() != null
                        && http.getQueryString().contains("X-Atmosphere-Transport=long-polling");
                chain.doFilter(longPoll ? new SlowToSuspend(http) : request, response);
            };
            FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(filter);
            registration.addUrlPatterns("/VAADIN/push", "/VAADIN/push/*");
            registration.setAsyncSupported(true);
            return registration;
        }
    }

    private static final class SlowToSuspend extends HttpServletRequestWrapper {

        SlowToSuspend(HttpServletRequest request) {
            super(request);
        }

        /** Atmosphere passes its own request here; its resource says when a push resumed the poll. */
        @Override
        public AsyncContext startAsync(ServletRequest request, ServletResponse response) {
            AsyncContext context = super.startAsync(request, response);
            if (request instanceof AtmosphereRequest atmosphere && atmosphere.resource() != null) {
                AtmosphereResource resource = atmosphere.resource();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                while (!resource.isResumed() && System.nanoTime() < deadline) {
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
                }
                if (resource.isResumed()) {
                    RESUMED_WHILE_SUSPENDING.incrementAndGet();
                }
            }
            return context;
        }
    }
}
