package dev.flowpubsub.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.flowpubsub.Inbox;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transport on the application's own pool (HikariCP, as Spring Boot applications have), with no listener URL:
 * the reader holds one of the pool's connections, and what it gives back must be fit for the application.
 */
@Tag("integration")
class PostgresOnApplicationPoolTest {

    @RegisterExtension
    final PostgresTestbed testbed = new PostgresTestbed();

    private HikariDataSource pool(String user, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(testbed.postgres().jdbcUrl());
        config.setUsername(user);
        config.setMaximumPoolSize(size);
        config.setConnectionTimeout(250);
        return testbed.closeLater(new HikariDataSource(config));
    }

    private void asSuperuser(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(testbed.postgres().jdbcUrl(), "postgres", null);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /**
     * After an error that leaves the connection working (here: the reader may not read the log for a moment), the
     * reader gives its connection back to the pool and takes another. The one it gave back must no longer LISTEN,
     * or notifications pile up in a connection the application uses (issue 19, suspected item).
     */
    @Test
    void theReadersConnection_goesBackToThePoolNotListening_afterAnErrorThatLeavesItWorking() throws Exception {
        asSuperuser("CREATE ROLE app LOGIN");
        asSuperuser("GRANT CREATE ON SCHEMA public TO app");
        HikariDataSource pool = pool("app", 4);
        PostgresNode node = testbed.closeLater(new PostgresNode(PostgresTransport.builder(pool)
                .pollInterval(Duration.ofMillis(100)).commandTimeout(Duration.ofSeconds(2)).build()));
        PostgresNode other = testbed.node();
        Inbox onNode = node.page("t");
        await().atMost(Duration.ofSeconds(10)).until(() -> "listen".equals(
                node.hub.transportHealth().orElseThrow().details().get("wakeUp")));

        asSuperuser("REVOKE SELECT ON flow_pubsub_log FROM app");
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(
                node.hub.transportHealth().orElseThrow().details().get("lastError")).contains("permission denied"));
        // while the reader waits to try again, its connection is in the pool: take what the pool gives, a while
        long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        int looked = 0;
        while (System.nanoTime() < end) {
            looked += assertNoneListens(takeAll(pool));
        }
        asSuperuser("GRANT SELECT ON flow_pubsub_log TO app");
        await().atMost(Duration.ofSeconds(15)).until(() -> node.hub.transportHealth().orElseThrow().up());
        other.hub.sendAllOnTopic("t", "after the error");
        await().atMost(Duration.ofSeconds(10)).until(() -> onNode.messages.contains("after the error"));
        looked += assertNoneListens(takeAll(pool));
        assertThat(looked).as("connections of the pool looked at").isPositive();
    }

    /**
     * On the application's pool, with the reader holding one of the transport's two connections: a history read gives
     * the other back before it is answered, when no read waits, so the writer never waits for an idle history thread
     * (it waited up to a second after each read; found by an independent review).
     */
    @Test
    void afterAHistoryRead_theTransportHoldsOnlyItsReadersConnection() throws Exception {
        HikariDataSource pool = pool("postgres", 10);
        PostgresNode node = testbed.closeLater(new PostgresNode(PostgresTransport.builder(pool)
                .pollInterval(Duration.ofMillis(100)).build()));
        await().atMost(Duration.ofSeconds(15)).until(() -> node.hub.transportHealth().orElseThrow().up()
                && pool.getHikariPoolMXBean().getActiveConnections() == 1);

        for (int read = 0; read < 3; read++) {
            node.transport.history("room", 5).toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);

            // the writer's idle check (every 2 s) may hold one for a moment: allow it that, not the read's second
            await().atMost(Duration.ofMillis(300)).pollInterval(Duration.ofMillis(5))
                    .until(() -> pool.getHikariPoolMXBean().getActiveConnections() == 1);
        }
    }

    /** Every connection the pool gives the application now. */
    private static List<Connection> takeAll(HikariDataSource pool) {
        List<Connection> borrowed = new ArrayList<>();
        for (;;) {
            try {
                borrowed.add(pool.getConnection());
            } catch (SQLException exhausted) {
                return borrowed;
            }
        }
    }

    /** Checks no connection listens to a channel, gives them back, and says how many it looked at. */
    private static int assertNoneListens(List<Connection> borrowed) throws SQLException {
        try {
            for (Connection connection : borrowed) {
                try (Statement statement = connection.createStatement();
                     ResultSet channels = statement.executeQuery("SELECT count(*) FROM pg_listening_channels()")) {
                    channels.next();
                    assertThat(channels.getInt(1)).as("channels a connection of the application listens to").isZero();
                }
            }
            return borrowed.size();
        } finally {
            for (Connection connection : borrowed) {
                connection.close();
            }
        }
    }
}
