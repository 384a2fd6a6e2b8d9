package dev.flowpubsub.benchmarks;

import dev.flowpubsub.benchmarks.e2e.AppServer;
import dev.flowpubsub.benchmarks.e2e.EndToEndTool;
import dev.flowpubsub.chat.Application;
import dev.flowpubsub.stockapp.StockApplication;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The end-to-end tool, tiny: a few protocol clients on each contender's application (each started in this JVM in
 * its turn, production mode), a second of messages each. Every message must reach every client, through push.
 */
@Tag("slow") // starts no process, but floods for seconds: run in verify, out of the fast loop
class EndToEndSmokeTest {

    @Test
    void protocolClients_receiveEveryMessage_onEveryContender() throws Exception {
        EndToEndTool.Config config = EndToEndTool.Config.parse("--clients", "3", "--rate", "10", "--seconds", "1",
                "--ladder", "10", "--step-seconds", "0.5", "--step-min-messages", "5", "--warmup-messages", "3",
                "--drain-seconds", "10", "--pause-seconds", "0");

        List<EndToEndTool.Step> steps = EndToEndTool.run(EndToEndSmokeTest::start, config,
                new PrintStream(System.out, true));

        assertThat(steps).extracting(EndToEndTool.Step::contender)
                .contains(EndToEndTool.CONTENDERS.toArray(String[]::new));
        for (EndToEndTool.Step step : steps) {
            assertThat(step.sent()).as(step.toString()).isPositive();
            assertThat(step.completed()).as("every message reached all clients: " + step).isEqualTo(step.sent());
            assertThat(step.p50Ms()).as(step.toString()).isPositive();
            assertThat(step.pushesPerMessage()).as(step.toString()).isPositive();
        }
    }

    @Test
    void protocolClientsOfferingPermessageDeflate_getCompressedPushes_andEveryMessage() throws Exception {
        for (EndToEndTool.Step step : tinyRunOfPubSubAndStock("websocket-deflate")) {
            assertThat(step.pushExtensions()).as("the server accepted compression: " + step)
                    .containsExactly("permessage-deflate");
        }
    }

    @Test
    void protocolClientsTakingPushesByLongPolling_receiveEveryMessage_withoutPushesSentAgain() throws Exception {
        for (EndToEndTool.Step step : tinyRunOfPubSubAndStock("long-polling")) {
            // about one push per page and message; an old sync id on a poll made Vaadin send everything again (80x)
            assertThat(step.pushesPerMessage()).as(step.toString()).isPositive().isLessThan(2.0 * step.clients());
        }
    }

    /** Three clients taking pushes over {@code push}, ten messages, on flow-pubsub and on the stock app: all arrive. */
    private static List<EndToEndTool.Step> tinyRunOfPubSubAndStock(String push) throws Exception {
        EndToEndTool.Config config = EndToEndTool.Config.parse("--clients", "3", "--rate", "10", "--seconds", "1",
                "--ladder", "none", "--warmup-messages", "3", "--drain-seconds", "10", "--pause-seconds", "0",
                "--push", push, "--contenders", "pubsub,stock");

        List<EndToEndTool.Step> steps = EndToEndTool.run(EndToEndSmokeTest::start, config,
                new PrintStream(System.out, true));

        assertThat(steps).extracting(EndToEndTool.Step::contender).containsExactly("pubsub", "stock");
        for (EndToEndTool.Step step : steps) {
            assertThat(step.sent()).as(step.toString()).isEqualTo(10);
            assertThat(step.completed()).as("every message reached all clients: " + step).isEqualTo(step.sent());
        }
        return steps;
    }

    /**
     * The stock app, without what this JVM's class path also holds for the chat: flow-pubsub's auto-configuration
     * and the chat's application.properties (the stock app has none of its own). flow-pubsub's Atmosphere services
     * (its write wait, its completion of long polls) still apply here, being on the class path: these tests check the
     * tool, the stock app's own figures come from its jar.
     */
    private static Class<?> stock(List<String> arguments) {
        arguments.add("--spring.autoconfigure.exclude=dev.flowpubsub.spring.PubSubAutoConfiguration");
        arguments.add("--spring.config.name=stock-app");
        return StockApplication.class;
    }

    /** The contender's application, in this JVM, stopped when its run ends. */
    private static AppServer start(String contender) {
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
                "--vaadin.productionMode=true", "--logging.level.root=WARN"));
        Class<?> application = switch (contender) {
            case "pubsub" -> Application.class;
            case "stock" -> stock(arguments);
            case "tuned-broadcaster" -> {
                arguments.add("--stock.atmosphere-write-wait-ms=1");
                yield stock(arguments);
            }
            default -> throw new IllegalArgumentException(contender);
        };
        ConfigurableApplicationContext context = SpringApplication.run(application, arguments.toArray(String[]::new));
        String port = context.getEnvironment().getProperty("local.server.port");
        return AppServer.external("http://127.0.0.1:" + port + "/", context::close);
    }
}
