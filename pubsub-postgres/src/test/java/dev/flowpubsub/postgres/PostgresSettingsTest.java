package dev.flowpubsub.postgres;

import dev.flowpubsub.Inbox;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The transport's options on a real PostgreSQL: polling only, other names, a schema the team manages, secrets. */
@Tag("integration")
class PostgresSettingsTest {

    @RegisterExtension
    final PostgresTestbed testbed = new PostgresTestbed();

    private Connection connect() throws Exception {
        return DriverManager.getConnection(testbed.postgres().jdbcUrl(), "postgres", null);
    }

    @Test
    void withoutListen_readersPoll_andMessagesStillCross() {
        PostgresNode a = testbed.node(settings -> settings.listen(false).pollInterval(Duration.ofMillis(50)));
        PostgresNode b = testbed.node(settings -> settings.listen(false).pollInterval(Duration.ofMillis(50)));
        Inbox onB = b.page("t");

        a.hub.sendAllOnTopic("t", "polled");

        await().atMost(Duration.ofSeconds(10)).until(() -> onB.messages.contains("polled"));
        assertThat(b.hub.transportHealth().orElseThrow().details()).containsEntry("wakeUp", "poll");
    }

    /**
     * What a pooler in transaction mode does to LISTEN, without one: connections whose notifications never arrive.
     * The reader's own notification does not come back, so it polls, and says so.
     */
    @Test
    void whenNotificationsDoNotComeBack_asBehindATransactionPooler_readersFallBackToPolling() {
        javax.sql.DataSource deaf = deafDataSource(testbed.postgres().jdbcUrl());
        PostgresNode a = testbed.closeLater(new PostgresNode(PostgresTransport.builder(deaf)
                .pollInterval(Duration.ofMillis(100)).build()));
        PostgresNode b = testbed.closeLater(new PostgresNode(PostgresTransport.builder(deaf)
                .pollInterval(Duration.ofMillis(100)).build()));
        Inbox onB = b.page("t");

        await().atMost(Duration.ofSeconds(15)).until(() -> "poll".equals(
                b.hub.transportHealth().orElseThrow().details().get("wakeUp")));
        a.hub.sendAllOnTopic("t", "polled behind the pooler");

        await().atMost(Duration.ofSeconds(10)).until(() -> onB.messages.contains("polled behind the pooler"));
    }

    /**
     * Behind a transaction pooler the reader's self-notify probe fails; it must not be run again at every poll, which
     * made each read wait out the probe's 3 s (issue 19, item 2). Counted, not timed: each {@code pg_notify} prepared
     * is one probe.
     */
    @Test
    void behindATransactionPooler_theReaderProbesOncePerConnection_notAtEveryPoll() {
        java.util.concurrent.atomic.AtomicInteger probes = new java.util.concurrent.atomic.AtomicInteger();
        javax.sql.DataSource deaf = deafDataSource(testbed.postgres().jdbcUrl(), probes);
        PostgresNode a = testbed.node(settings -> settings.pollInterval(Duration.ofMillis(100)));
        PostgresNode b = testbed.closeLater(new PostgresNode(PostgresTransport.builder(deaf)
                .pollInterval(Duration.ofMillis(100)).build()));
        Inbox onB = b.page("t");
        await().atMost(Duration.ofSeconds(15)).until(() -> "poll".equals(
                b.hub.transportHealth().orElseThrow().details().get("wakeUp")));

        for (int n = 0; n < 3; n++) {
            String message = "polled " + n;
            a.hub.sendAllOnTopic("t", message);
            await().atMost(Duration.ofSeconds(15)).until(() -> onB.messages.contains(message));
        }

        assertThat(probes.get()).as("probes by B's reader on its one connection").isEqualTo(1);
    }

    /** Connections to {@code url} whose {@code PGConnection.getNotifications} never returns any. */
    private static javax.sql.DataSource deafDataSource(String url) {
        return deafDataSource(url, new java.util.concurrent.atomic.AtomicInteger());
    }

    /** Like {@link #deafDataSource(String)}, counting the statements prepared with {@code pg_notify} in them. */
    private static javax.sql.DataSource deafDataSource(String url, java.util.concurrent.atomic.AtomicInteger notifies) {
        org.postgresql.ds.PGSimpleDataSource real = new org.postgresql.ds.PGSimpleDataSource();
        real.setUrl(url);
        real.setUser("postgres");
        return (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                PostgresSettingsTest.class.getClassLoader(), new Class<?>[] {javax.sql.DataSource.class},
                (proxy, method, arguments) -> {
                    Object result = invoke(real, method, arguments);
                    return result instanceof Connection connection ? deaf(connection, notifies) : result;
                });
    }

    private static Connection deaf(Connection connection, java.util.concurrent.atomic.AtomicInteger notifies) {
        org.postgresql.PGConnection pg = (org.postgresql.PGConnection) java.lang.reflect.Proxy.newProxyInstance(
                PostgresSettingsTest.class.getClassLoader(), new Class<?>[] {org.postgresql.PGConnection.class},
                (proxy, method, arguments) -> method.getName().equals("getNotifications")
                        ? new org.postgresql.PGNotification[0]
                        : invoke(connection.unwrap(org.postgresql.PGConnection.class), method, arguments));
        return (Connection) java.lang.reflect.Proxy.newProxyInstance(PostgresSettingsTest.class.getClassLoader(),
                new Class<?>[] {Connection.class}, (proxy, method, arguments) -> {
                    if (method.getName().equals("prepareStatement") && String.valueOf(arguments[0]).contains("pg_notify")) {
                        notifies.incrementAndGet();
                    }
                    return method.getName().equals("unwrap") && arguments[0] == org.postgresql.PGConnection.class ? pg
                            : invoke(connection, method, arguments);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] arguments) throws Throwable {
        try {
            return method.invoke(target, arguments);
        } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void withListen_healthSaysReadersAreWokenByNotifications() {
        PostgresNode a = testbed.node();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.hub.transportHealth().orElseThrow().up());
        assertThat(a.hub.transportHealth().orElseThrow().details()).containsEntry("wakeUp", "listen");
    }

    /**
     * The longest names the builder accepts: the NOTIFY channel made of both would pass PostgreSQL's 63 bytes, which
     * {@code pg_notify} refuses, and every reader stayed down (issue 19, item 1).
     */
    @Test
    void longestNamesTheBuilderAccepts_wakeEveryReader_andMessagesCross() {
        String schema = "s".repeat(63);
        String table = "t".repeat(49);
        PostgresNode a = testbed.node(settings -> settings.schema(schema).table(table));
        PostgresNode b = testbed.node(settings -> settings.schema(schema).table(table));
        Inbox onB = b.page("t");
        await().atMost(Duration.ofSeconds(10)).until(() -> b.hub.transportHealth().orElseThrow().up());
        assertThat(b.hub.transportHealth().orElseThrow().details()).containsEntry("wakeUp", "listen");

        a.hub.sendAllOnTopic("t", "with long names");

        await().atMost(Duration.ofSeconds(10)).until(() -> onB.messages.contains("with long names"));
    }

    /**
     * Tables a migration tool made, used by an application role that may only read, insert and delete: the nodes'
     * start ran {@code CREATE ... IF NOT EXISTS}, which checks the schema's CREATE privilege first, and never came up
     * (issue 19, item 7).
     */
    @Test
    void tablesMadeByAMigrationRole_areUsedByAnAppRoleWithDataRightsOnly() throws Exception {
        String script;
        try (InputStream in = PostgresTransport.class.getResourceAsStream("schema.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE migrator LOGIN");
            statement.execute("GRANT CREATE ON DATABASE postgres TO migrator"); // the script's CREATE SCHEMA IF NOT EXISTS
            statement.execute("GRANT CREATE ON SCHEMA public TO migrator");
            statement.execute("CREATE ROLE app LOGIN");
            statement.execute("SET ROLE migrator");
            statement.execute(script);
            statement.execute("GRANT SELECT, INSERT, DELETE ON flow_pubsub_log, flow_pubsub_history TO app");
            statement.execute("RESET ROLE");
        }
        PostgresNode a = testbed.node(settings -> settings.username("app"));
        PostgresNode b = testbed.node(settings -> settings.username("app"));
        Inbox onB = b.page("t");

        await().atMost(Duration.ofSeconds(10)).until(() -> a.hub.transportHealth().orElseThrow().up()
                && b.hub.transportHealth().orElseThrow().up());
        a.hub.sendAllOnTopic("t", "as app");

        await().atMost(Duration.ofSeconds(10)).until(() -> onB.messages.contains("as app"));
    }

    @Test
    void otherSchemaAndTable_areCreated_andUsed() throws Exception {
        PostgresNode a = testbed.node(settings -> settings.schema("bus").table("chat"));
        PostgresNode b = testbed.node(settings -> settings.schema("bus").table("chat"));
        Inbox onB = b.page("t");

        a.hub.sendAllOnTopic("t", "in bus.chat_log");

        await().atMost(Duration.ofSeconds(10)).until(() -> onB.messages.contains("in bus.chat_log"));
        try (Connection connection = connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM bus.chat_log WHERE topic = 't'::bytea")) {
            rows.next();
            assertThat(rows.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void anApplicationUser_thatMayCreateTablesButNoSchema_getsItsTablesCreated() throws Exception {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE ROLE app LOGIN");
            statement.execute("GRANT CREATE ON SCHEMA public TO app"); // as an app's own schema would; not the database
        }
        PostgresNode a = testbed.node(settings -> settings.username("app"));
        PostgresNode b = testbed.node(settings -> settings.username("app"));
        Inbox onB = b.page("t");

        await().atMost(Duration.ofSeconds(10)).until(() -> a.hub.transportHealth().orElseThrow().up());
        a.hub.sendAllOnTopic("t", "as app");

        await().atMost(Duration.ofSeconds(10)).until(() -> onB.messages.contains("as app"));
    }

    @Test
    void withoutCreateSchema_healthSaysWhatToRun_untilTheShippedScriptRan() throws Exception {
        PostgresNode a = testbed.node(settings -> settings.createSchema(false));
        await().atMost(Duration.ofSeconds(10)).until(() -> String.valueOf(
                a.hub.transportHealth().orElseThrow().details().get("lastError")).contains("schema.sql"));
        assertThat(a.hub.transportHealth().orElseThrow().up()).isFalse();

        String script;
        try (InputStream in = PostgresTransport.class.getResourceAsStream("schema.sql")) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute(script);
        }
        PostgresNode b = testbed.node(settings -> settings.createSchema(false));
        Inbox onB = b.page("t");
        await().atMost(Duration.ofSeconds(15)).until(() -> a.hub.transportHealth().orElseThrow().up());
        a.hub.sendAllOnTopic("t", "after the migration");
        await().atMost(Duration.ofSeconds(10)).until(() -> onB.messages.contains("after the migration"));
    }

    @Test
    void wrongPassword_isNeverShown_inHealthOrToString() {
        try (PostgresServer guarded = PostgresServer.start("right-one")) {
            PostgresTransport transport = PostgresTransport.builder(guarded.jdbcUrl() + "?password=wrong-one")
                    .username("postgres").password("wrong-one").commandTimeout(Duration.ofSeconds(1))
                    .pollInterval(Duration.ofMillis(100)).build();
            PostgresNode node = testbed.closeLater(new PostgresNode(transport));
            await().atMost(Duration.ofSeconds(10)).until(() -> node.hub.transportHealth().orElseThrow().details()
                    .containsKey("lastError") && !"not connected yet".equals(
                    node.hub.transportHealth().orElseThrow().details().get("lastError")));
            String shown = node.hub.transportHealth().orElseThrow() + " " + transport;
            assertThat(shown).contains("password authentication failed").doesNotContain("wrong-one")
                    .doesNotContain("right-one");
            node.close();
        }
    }
}
