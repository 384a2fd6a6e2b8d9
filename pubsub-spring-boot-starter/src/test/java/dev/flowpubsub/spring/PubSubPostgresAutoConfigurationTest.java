package dev.flowpubsub.spring;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.shared.communication.PushMode;
import com.zaxxer.hikari.HikariDataSource;
import dev.flowpubsub.PubSub;
import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.postgres.PostgresTransport;
import dev.flowpubsub.spring.health.PubSubHealthContributorAutoConfiguration;
import dev.flowpubsub.spring.metrics.PubSubMetricsAutoConfiguration;
import dev.flowpubsub.testsupport.MockVaadinApp;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pubsub.postgres.*}: the hub on PostgreSQL, on a URL of its own or on the application's DataSource. The
 * application's DataSource is the one a Spring Boot application has: Spring Boot's auto-configuration makes it, a
 * HikariCP pool, from {@code spring.datasource.*} or from a service connection (Docker Compose, Testcontainers).
 */
@Tag("integration")
class PubSubPostgresAutoConfigurationTest {

    /** The application's pool: small, so that a transport taking more than its share would show. */
    private static final int POOL_SIZE = 3;
    private static final int ROOMS = 300;
    private static final int BURST = 2_000;

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(PubSubAutoConfiguration.class,
                    PubSubHealthContributorAutoConfiguration.class, PubSubMetricsAutoConfiguration.class))
            .withPropertyValues("pubsub.allowed-types=" + PubSubAutoConfigurationTest.Price.class.getName());

    /** An application with Spring Boot's DataSource auto-configuration (spring-boot-starter-jdbc): a HikariCP pool. */
    private final ApplicationContextRunner bootApp = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, PubSubAutoConfiguration.class,
                    PubSubHealthContributorAutoConfiguration.class, PubSubMetricsAutoConfiguration.class))
            .withPropertyValues("pubsub.allowed-types=" + PubSubAutoConfigurationTest.Price.class.getName(),
                    "pubsub.postgres.enabled=true", "pubsub.history.size=5", "pubsub.history.topic-prefixes=room:",
                    "spring.datasource.hikari.maximum-pool-size=" + POOL_SIZE,
                    "spring.datasource.hikari.connection-timeout=2000");

    /** The application's DataSource from {@code spring.datasource.url}: the starter gives the reader that URL. */
    private ApplicationContextRunner onSpringDatasourceUrl(PostgresServer postgres) {
        return bootApp.withPropertyValues("spring.datasource.url=" + postgres.jdbcUrl(),
                "spring.datasource.username=postgres");
    }

    /**
     * The application's DataSource from a service connection, as Docker Compose and Testcontainers give it: no
     * {@code spring.datasource.url}, so no listener URL, and the reader holds one of the pool's connections.
     */
    private ApplicationContextRunner onServiceConnection(String jdbcUrl) {
        return bootApp.withBean(JdbcConnectionDetails.class, () -> new ServiceConnection(jdbcUrl));
    }

    /** A JDBC service connection to {@code jdbcUrl}, as user postgres without a password. */
    record ServiceConnection(String jdbcUrl) implements JdbcConnectionDetails {

        @Override
        public String getJdbcUrl() {
            return jdbcUrl;
        }

        @Override
        public String getUsername() {
            return "postgres";
        }

        @Override
        public String getPassword() {
            return null;
        }
    }

    private static HikariDataSource pool(ApplicationContext context) {
        return (HikariDataSource) context.getBean(DataSource.class);
    }

    private static HealthIndicator transportHealth(ApplicationContext context) {
        return context.getBean("pubsubTransportHealthIndicator", HealthIndicator.class);
    }

    private static void crossesBetween(PubSubHub a, PubSubHub b, HealthIndicator bHealth) {
        await().atMost(Duration.ofSeconds(20)).until(() -> bHealth.health().getStatus().equals(Status.UP));
        a.sendAllOnTopic("prices", new PubSubAutoConfigurationTest.Price("ACME", 42));
        await().atMost(Duration.ofSeconds(20)).until(() -> b.stats().remoteReceived() == 1);
    }

    @Test
    void postgresUrl_runsTheHubOnPostgres_messagesCrossContexts_andHealthShowsTheUrlWithoutThePassword() {
        try (PostgresServer postgres = PostgresServer.start("pw-of-the-db")) {
            ApplicationContextRunner onPostgres = runner.withPropertyValues("pubsub.postgres.enabled=true",
                    "pubsub.postgres.url=" + postgres.jdbcUrl() + "?ApplicationName=chat",
                    "pubsub.postgres.username=postgres", "pubsub.postgres.password=" + postgres.password(),
                    "pubsub.postgres.table=chat_bus");
            onPostgres.run(nodeA -> onPostgres.run(nodeB -> {
                PubSubHub b = nodeB.getBean(PubSubHub.class);
                HealthIndicator bHealth = nodeB.getBean("pubsubHealthIndicator", HealthIndicator.class);
                crossesBetween(nodeA.getBean(PubSubHub.class), b, bHealth);

                Health health = bHealth.health();
                assertThat(health.getDetails()).containsEntry("engine", "postgres")
                        .containsEntry("url", postgres.jdbcUrl())
                        .containsEntry("log", "public.chat_bus_log")
                        .containsEntry("node", b.nodeId().orElseThrow());
                assertThat(health.toString()).doesNotContain("pw-of-the-db");
                assertThat(nodeB.getBean("pubsubTransportHealthIndicator",
                        HealthIndicator.class).health().getStatus()).isEqualTo(Status.UP);
            }));
        }
    }

    @Test
    void onBootsHikariPool_fromSpringDatasourceUrl_messagesCrossContexts_andTheReaderListensOutsideThePool() {
        try (PostgresServer postgres = PostgresServer.start()) {
            // one of the pool's connections is enough here: the reader's is not one of them
            ApplicationContextRunner node = onSpringDatasourceUrl(postgres)
                    .withPropertyValues("pubsub.postgres.max-pool-connections=1");
            node.run(nodeA -> node.run(nodeB -> {
                assertThat(nodeB.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
                assertThat(nodeB.getBean(PostgresTransport.class).toString()).contains(postgres.jdbcUrl());
                crossesBetween(nodeA.getBean(PubSubHub.class), nodeB.getBean(PubSubHub.class),
                        nodeB.getBean("pubsubHealthIndicator", HealthIndicator.class));
                // idle, the writer has given its connection back, and the reader holds none of the pool's
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> pool(nodeB).getHikariPoolMXBean().getActiveConnections() == 0);
            }));
        }
    }

    @Test
    void onBootsHikariPool_withoutAListenerUrl_messagesCrossContexts_theReaderHoldsOneOfThePools_andHealthIsUp() {
        try (PostgresServer postgres = PostgresServer.start()) {
            ApplicationContextRunner node = onServiceConnection(postgres.jdbcUrl());
            node.run(nodeA -> node.run(nodeB -> {
                assertThat(nodeB.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class);
                assertThat(nodeB.getBean(PostgresTransport.class).toString()).contains("the application's DataSource");
                HealthIndicator bHealth = nodeB.getBean("pubsubHealthIndicator", HealthIndicator.class);
                crossesBetween(nodeA.getBean(PubSubHub.class), nodeB.getBean(PubSubHub.class), bHealth);
                nodeB.getBean(PubSubHub.class).sendAllOnTopic("prices", new PubSubAutoConfigurationTest.Price("B", 1));
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> nodeA.getBean(PubSubHub.class).stats().remoteReceived() == 1);

                assertThat(bHealth.health().getStatus()).isEqualTo(Status.UP);
                Health transport = transportHealth(nodeB).health();
                assertThat(transport.getStatus()).isEqualTo(Status.UP);
                assertThat(transport.getDetails()).containsEntry("wakeUp", "listen");
                // idle, the writer has given its connection back: what stays out is the listening reader's
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> pool(nodeB).getHikariPoolMXBean().getActiveConnections() == 1);
            }));
        }
    }

    /**
     * A node that just started, on a Spring Boot application's pool of 3 without a listener URL: a page subscribes
     * with history to 300 rooms (read from PostgreSQL) while the node sends 2,000 messages. The transport holds at
     * most {@code max-pool-connections} (default 2, the reader's included) of the pool's connections, and the
     * application's own queries get the third all along (issue 19, "the reader on the app's pool without a
     * listener URL").
     */
    @Test
    void onBootsHikariPool_withoutAListenerUrl_aBurstOfSendsAndHistoryReads_leavesTheApplicationItsConnections()
            throws Exception {
        List<String> rooms = IntStream.range(0, ROOMS).mapToObj(n -> "room:" + n).toList();
        try (PostgresServer postgres = PostgresServer.start()) {
            ApplicationContextRunner node = onServiceConnection(postgres.jdbcUrl());
            node.run(nodeA -> {
                PubSubHub a = nodeA.getBean(PubSubHub.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> transportHealth(nodeA).health().getStatus()
                        .equals(Status.UP));
                rooms.forEach(room -> a.sendAllOnTopic(room, "kept on " + room));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> count(pool(nodeA), "SELECT count(*) FROM flow_pubsub_history") == ROOMS);

                node.run(nodeB -> {
                    PubSubHub b = nodeB.getBean(PubSubHub.class);
                    HikariDataSource pool = pool(nodeB);
                    await().atMost(Duration.ofSeconds(20)).until(() -> transportHealth(nodeB).health().getStatus()
                            .equals(Status.UP));
                    long receivedBefore = a.stats().remoteReceived();
                    List<Object> page = new CopyOnWriteArrayList<>();
                    List<Throwable> pageErrors = new CopyOnWriteArrayList<>();
                    ApplicationQueries application = new ApplicationQueries(pool);
                    try (MockVaadinApp vaadin = new MockVaadinApp();
                         TransportShare share = new TransportShare(pool, application)) {
                        PubSubHub.install(vaadin.service(), b, false);
                        UI ui = vaadin.open(vaadin.newSession(error -> pageErrors.add(error.getThrowable())), UI::new);
                        ui.accessSynchronously(() -> {
                            ui.getPushConfiguration().setPushMode(PushMode.AUTOMATIC);
                            rooms.forEach(room -> PubSub.current().subscribeTopicWithHistory(room, String.class,
                                    message -> page.add(message)));
                        });
                        for (int i = 0; i < BURST; i++) {
                            b.sendAllOnTopic("burst", i);
                        }
                        while (page.size() < ROOMS || a.stats().remoteReceived() - receivedBefore < BURST) {
                            application.query(); // fails if the pool has no connection for it within 2 s
                            application.check(Duration.ofSeconds(60));
                            Thread.sleep(20);
                        }
                        assertThat(share.highest.get()).as("the pool's connections the transport held at once")
                                .isLessThanOrEqualTo(PostgresTransport.Builder.DEFAULT_MAX_POOL_CONNECTIONS);
                        assertThat(share.samples.get()).as("samples taken while the application held none")
                                .isPositive();
                    }
                    assertThat(pageErrors).isEmpty();
                    assertThat(application.queries).as("the application's own queries during the burst").isPositive();
                    assertThat(page).hasSize(ROOMS).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                            rooms.stream().map(room -> "kept on " + room).toList());
                    Health transport = transportHealth(nodeB).health();
                    assertThat(transport.getStatus()).isEqualTo(Status.UP);
                    assertThat(transport.getDetails()).doesNotContainKey("lastError");
                });
            });
        }
    }

    /**
     * Pages entering rooms one after another (a history read every 300 ms) while the node sends, on the default
     * {@code max-pool-connections} without a listener URL: the reader holds one of the transport's two connections,
     * and the history reader keeps the other while reads keep coming (it gives it back after 1 s without one), so the
     * writer gets none: nothing the node sends reaches the others (18 of 20 not received here), and once the writer
     * has waited 10 s the transport is DOWN. Found with this test (issue 19, "the reader on the app's pool without a
     * listener URL"); the fix belongs in pubsub-postgres.
     */
    @Test
    void onBootsHikariPool_withoutAListenerUrl_pagesEnteringRoomsSteadily_doNotHoldBackTheNodesMessages()
            throws Exception {
        try (PostgresServer postgres = PostgresServer.start()) {
            ApplicationContextRunner node = onServiceConnection(postgres.jdbcUrl());
            node.run(nodeA -> node.run(nodeB -> {
                PubSubHub a = nodeA.getBean(PubSubHub.class);
                PubSubHub b = nodeB.getBean(PubSubHub.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> transportHealth(nodeA).health().getStatus()
                        .equals(Status.UP) && transportHealth(nodeB).health().getStatus().equals(Status.UP));
                List<Throwable> pageErrors = new CopyOnWriteArrayList<>();
                try (MockVaadinApp vaadin = new MockVaadinApp()) {
                    PubSubHub.install(vaadin.service(), b, false);
                    UI ui = vaadin.open(vaadin.newSession(error -> pageErrors.add(error.getThrowable())), UI::new);
                    ui.accessSynchronously(() -> ui.getPushConfiguration().setPushMode(PushMode.AUTOMATIC));
                    long behind = 0;
                    for (int sent = 0; sent < 12; sent++) {
                        behind = Math.max(behind, sent - a.stats().remoteReceived());
                        String room = "room:" + sent;
                        ui.accessSynchronously(() -> PubSub.current().subscribeTopicWithHistory(room, String.class,
                                message -> { }));
                        b.sendAllOnTopic("lobby", sent);
                        Thread.sleep(300);
                    }
                    assertThat(behind).as("the most messages sent 300 ms apart not yet received")
                            .isLessThanOrEqualTo(3);
                }
                assertThat(pageErrors).isEmpty();
                assertThat(transportHealth(nodeB).health().getDetails()).doesNotContainKey("lastError");
            }));
        }
    }

    private static int count(DataSource dataSource, String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getInt(1);
        }
    }

    /**
     * The application's own queries through the pool, each in its own borrow; {@link #epoch} is odd while one holds
     * a connection, so a sample of the pool can leave the application's connection out.
     */
    private static final class ApplicationQueries {
        final AtomicLong epoch = new AtomicLong();
        private final DataSource pool;
        private final long start = System.nanoTime();
        int queries;

        ApplicationQueries(DataSource pool) {
            this.pool = pool;
        }

        void query() throws SQLException {
            epoch.incrementAndGet();
            try {
                assertThat(count(pool, "SELECT 1")).isEqualTo(1);
                queries++;
            } finally {
                epoch.incrementAndGet();
            }
        }

        void check(Duration limit) {
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the burst's time").isLessThan(limit);
        }
    }

    /** Samples the pool's connections in use while the application holds none: the transport's; keeps the highest. */
    private static final class TransportShare implements AutoCloseable {
        final AtomicInteger highest = new AtomicInteger();
        final AtomicInteger samples = new AtomicInteger();
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final Thread thread;

        TransportShare(HikariDataSource pool, ApplicationQueries application) {
            thread = Thread.ofPlatform().daemon().start(() -> {
                while (running.get()) {
                    long before = application.epoch.get();
                    int active = pool.getHikariPoolMXBean().getActiveConnections();
                    if (before % 2 == 0 && application.epoch.get() == before) {
                        highest.accumulateAndGet(active, Math::max);
                        samples.incrementAndGet();
                    }
                    LockSupport.parkNanos(100_000);
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
}
