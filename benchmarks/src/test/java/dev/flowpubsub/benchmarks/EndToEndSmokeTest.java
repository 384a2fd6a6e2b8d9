package dev.flowpubsub.benchmarks;

import dev.flowpubsub.benchmarks.e2e.EndToEndTool;
import dev.flowpubsub.chat.Application;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.PrintStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end tool, tiny: a few protocol clients on the chat (started in this JVM, production mode), both
 * routes, a second of messages each. Every message must reach every client, through push.
 */
class EndToEndSmokeTest {

    @Test
    void protocolClients_receiveEveryMessage_onBothRoutes() throws Exception {
        try (ConfigurableApplicationContext chat = SpringApplication.run(Application.class, "--server.port=0",
                "--server.address=127.0.0.1", "--vaadin.productionMode=true", "--logging.level.root=WARN")) {
            String url = "http://127.0.0.1:" + chat.getEnvironment().getProperty("local.server.port") + "/";
            EndToEndTool.Config config = EndToEndTool.Config.parse("--clients", "3", "--rate", "10", "--seconds", "1",
                    "--ladder", "10", "--step-seconds", "0.5", "--step-min-messages", "5", "--warmup-messages", "3",
                    "--drain-seconds", "10", "--pause-seconds", "0");

            List<EndToEndTool.Step> steps = EndToEndTool.run(url, config, new PrintStream(System.out, true));

            assertThat(steps).extracting(EndToEndTool.Step::contender).contains("broadcaster", "pubsub");
            for (EndToEndTool.Step step : steps) {
                assertThat(step.sent()).as(step.toString()).isPositive();
                assertThat(step.completed()).as("every message reached all clients: " + step).isEqualTo(step.sent());
                assertThat(step.p50Ms()).as(step.toString()).isPositive();
                assertThat(step.pushesPerMessage()).as(step.toString()).isPositive();
            }
        }
    }
}
