package dev.flowpubsub.postgres;

import com.vaadin.flow.component.UI;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flowpubsub.HistoryPolicy;
import dev.flowpubsub.Inbox;
import dev.flowpubsub.PubSub;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * History reads on a node that just started, many topics at once: each was a virtual thread with a connection of
 * its own, up to the server's limit, and most timed out (issue 19, item 3: 600 topics, 190 connections, 600 reads
 * timed out). They are queued, read many topics per query, on a bounded number of connections.
 */
@Tag("integration")
class PostgresHistoryReadsTest {

    private static final int TOPICS = 600;
    private static final HistoryPolicy ROOMS = HistoryPolicy.keep(5, "room:");

    @RegisterExtension
    final PostgresTestbed testbed = new PostgresTestbed();

    private final List<String> topics = IntStream.range(0, TOPICS).mapToObj(n -> "room:" + n).toList();

    /** A node sends one message on each topic and stops: what a node started now must read from PostgreSQL. */
    private void fillTheHistoryTable() {
        try (PostgresNode earlier = new PostgresNode(testbed.postgres().jdbcUrl(), settings -> settings,
                hub -> hub.history(ROOMS))) {
            topics.forEach(topic -> earlier.hub.sendAllOnTopic(topic, "kept on " + topic));
            await().atMost(Duration.ofSeconds(30)).until(() -> historyRows() == TOPICS);
        }
    }

    private int historyRows() throws Exception {
        return count("SELECT count(*) FROM flow_pubsub_history");
    }

    private int count(String sql) throws Exception {
        try (Connection connection = DriverManager.getConnection(testbed.postgres().jdbcUrl(), "postgres", null);
             Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /** One page subscribing with history to every topic at once, as a dashboard of many rooms would. */
    private Inbox subscribeToAll(PostgresNode node) {
        UI ui = node.app.browser().pushTab();
        Inbox inbox = new Inbox(ui);
        ui.accessSynchronously(() -> topics.forEach(topic ->
                PubSub.current().subscribeTopicWithHistory(topic, String.class, inbox::add)));
        return inbox;
    }

    /** Samples a number in the background until closed, keeping the highest. */
    private static final class Peak implements AutoCloseable {
        final AtomicInteger highest = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        Peak(java.util.concurrent.Callable<Integer> sample) {
            thread = Thread.ofPlatform().start(() -> {
                while (running.get()) {
                    try {
                        highest.accumulateAndGet(sample.call(), Math::max);
                        Thread.sleep(10);
                    } catch (Exception e) {
                        return;
                    }
                }
            });
        }

        @Override
        public void close() {
            running.set(false);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void manyTopicsAtOnce_allGetTheirHistory_onTheTransportsOwnThreeConnections() throws Exception {
        fillTheHistoryTable();
        PostgresNode node = testbed.node(testbed.postgres().jdbcUrl(), settings -> settings, hub -> hub.history(ROOMS));
        await().atMost(Duration.ofSeconds(10)).until(() -> node.hub.transportHealth().orElseThrow().up());

        Inbox page;
        try (Peak connections = new Peak(() -> count(
                "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'flow-pubsub'"))) {
            page = subscribeToAll(node);
            await().atMost(Duration.ofSeconds(30)).until(() -> page.messages.size() >= TOPICS);
            assertThat(connections.highest.get()).as("connections of the node: reader, writer, history")
                    .isLessThanOrEqualTo(3);
        }
        assertThat(page.messages).hasSize(TOPICS).doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(topics.stream().map(topic -> "kept on " + topic).toList());
    }

    @Test
    void onAHikariPoolOfThree_manyTopicsAtOnce_complete_andTheApplicationStillGetsAConnection() throws Exception {
        fillTheHistoryTable();
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(testbed.postgres().jdbcUrl());
        config.setUsername("postgres");
        config.setMaximumPoolSize(3);
        config.setConnectionTimeout(2_000);
        HikariDataSource pool = testbed.closeLater(new HikariDataSource(config));
        PostgresNode node = testbed.closeLater(new PostgresNode(PostgresTransport.builder(pool).build(),
                hub -> hub.history(ROOMS)));
        await().atMost(Duration.ofSeconds(10)).until(() -> node.hub.transportHealth().orElseThrow().up());

        Inbox page = subscribeToAll(node);
        int applicationQueries = 0;
        while (page.messages.size() < TOPICS && applicationQueries < 200) {
            try (Connection connection = pool.getConnection(); Statement statement = connection.createStatement();
                 ResultSet one = statement.executeQuery("SELECT 1")) {
                assertThat(one.next()).isTrue();
            }
            applicationQueries++;
        }

        await().atMost(Duration.ofSeconds(30)).until(() -> page.messages.size() >= TOPICS);
        assertThat(page.messages).hasSize(TOPICS).doesNotHaveDuplicates();
        assertThat(applicationQueries).as("the application's own queries during the burst").isPositive();
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).as("held by the transport now: its reader")
                .isLessThanOrEqualTo(2);
    }
}
