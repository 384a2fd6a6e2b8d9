package dev.flowpubsub.postgres;

import dev.flowpubsub.Inbox;
import dev.flowpubsub.TransportConformanceSuite;
import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testsupport.PgBouncerServer;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared transport suite with every node connecting through a real PgBouncer in transaction mode, as many
 * production deployments put one in front of PostgreSQL (issue 19): a server connection is a client's for one
 * transaction only, so nothing a session keeps between transactions can be relied on. Notifications do not come
 * through such a pooler, so the readers poll, every 100 ms here. Stopping the engine kills the PostgreSQL behind
 * PgBouncer; PgBouncer stays up, as it would in production.
 *
 * <p>pgjdbc switches a statement it has run 5 times on one connection ({@code prepareThreshold}) to a named
 * server-side prepared statement; behind PgBouncer 1.18 in transaction mode, that statement lives on whichever
 * server connection prepared it, not on the one the next transaction gets.
 *
 * <p>One PostgreSQL and one PgBouncer for the class, as {@link PostgresTransportTest} has: each test's nodes use
 * tables of their own (a table prefix per test), and a test that stopped the engine finds it started again for the
 * next, behind the same PgBouncer.
 */
@Tag("integration")
class PostgresThroughPgBouncerTest extends TransportConformanceSuite {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final AtomicInteger TABLES = new AtomicInteger();

    private static PostgresServer postgres;
    private static PgBouncerServer pgbouncer;
    private final List<PostgresNode> nodes = new ArrayList<>();
    private String table;

    @BeforeAll
    static void startPostgresAndPgBouncer() {
        postgres = PostgresServer.start();
        pgbouncer = PgBouncerServer.start(postgres);
    }

    @AfterAll
    static void stopPgBouncerAndPostgres() {
        try {
            if (pgbouncer != null) {
                pgbouncer.close();
            }
        } finally {
            if (postgres != null) {
                postgres.close();
            }
        }
    }

    @BeforeEach
    void tablesOfThisTest() {
        table = "pooled_test_" + TABLES.incrementAndGet();
    }

    /** Closes this test's own nodes, and leaves the server running for the next test, whatever this one did to it. */
    @AfterEach
    void closeNodes_andServerRunningAgain() {
        nodes.reversed().forEach(PostgresNode::close);
        if (postgres.isRunning()) {
            postgres.resume();
        } else {
            postgres.restart();
        }
    }

    @Override
    protected Transport newTransport() {
        return PostgresTransport.builder(pgbouncer.jdbcUrl()).username(postgres.username()).table(table)
                .pollInterval(POLL).build();
    }

    @Override
    protected void stopEngine() {
        postgres.kill();
    }

    @Override
    protected void startEngine() {
        postgres.restart();
    }

    private PostgresNode pooledNode() {
        PostgresNode node = new PostgresNode(pgbouncer.jdbcUrl(), settings -> settings.table(table).pollInterval(POLL),
                hub -> hub);
        nodes.add(node);
        return node;
    }

    /**
     * Each message its own batch, and each way many more than pgjdbc's 5 executions before it prepares a statement
     * for good: the reader's read, the writer's insert and the history's copy and trim all pass the threshold on
     * their connections. Every message arrives, in order, and no node's health ever shows an error meanwhile (a
     * failing statement that a retry hides would show there).
     */
    @Test
    void manyMoreThanFiveMessagesEachWay_oneBatchEach_allArriveInOrder_withoutAnError() {
        PostgresNode a = pooledNode();
        PostgresNode b = pooledNode();
        Inbox onA = a.page("room:a-to-b", "room:b-to-a");
        Inbox onB = b.page("room:a-to-b", "room:b-to-a");
        for (PostgresNode node : List.of(a, b)) {
            await().atMost(Duration.ofSeconds(15)).until(() -> node.hub.transportHealth().orElseThrow().up());
        }
        Set<String> errors = ConcurrentHashMap.newKeySet();
        Thread watcher = Thread.ofVirtual().start(() -> watchHealth(List.of(a, b), errors));
        int rounds = 15;

        try {
            for (int n = 1; n <= rounds; n++) {
                String fromA = "a" + n;
                String fromB = "b" + n;
                a.hub.sendAllOnTopic("room:a-to-b", fromA);
                b.hub.sendAllOnTopic("room:b-to-a", fromB);
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                    assertThat(onB.messages).as("on B, with PgBouncer's log:%n%s", pgbouncer.log()).contains(fromA);
                    assertThat(onA.messages).as("on A, with PgBouncer's log:%n%s", pgbouncer.log()).contains(fromB);
                });
            }
        } finally {
            watcher.interrupt();
        }

        List<Object> fromAToB = IntStream.rangeClosed(1, rounds).mapToObj(n -> (Object) ("a" + n)).toList();
        List<Object> fromBToA = IntStream.rangeClosed(1, rounds).mapToObj(n -> (Object) ("b" + n)).toList();
        assertThat(onB.messages).containsSubsequence(fromAToB).doesNotHaveDuplicates();
        assertThat(onA.messages).containsSubsequence(fromBToA).doesNotHaveDuplicates();
        assertThat(errors).as("errors health showed while the messages crossed").isEmpty();
        for (PostgresNode node : List.of(a, b)) {
            assertThat(node.hub.transportHealth().orElseThrow().details())
                    .containsEntry("reader", "UP").containsEntry("writer", "UP").doesNotContainKey("lastError");
        }
    }

    /** The reader's own notification never comes back through the pooler: it finds out, and health says it polls. */
    @Test
    void behindThePooler_healthSaysTheReaderPolls() {
        PostgresNode a = pooledNode();

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(
                a.hub.transportHealth().orElseThrow().details()).containsEntry("wakeUp", "poll"));
        assertThat(a.hub.transportHealth().orElseThrow().up()).isTrue();
    }

    /**
     * The transport's own connections use named server-side statements (pgjdbc's default, cheaper for the server)
     * only where the server session is their own: directly, yes; through the pooler, never.
     */
    @Test
    void ownConnections_useNamedStatements_onlyWhenTheServerSessionIsTheirOwn() throws Exception {
        ConnectionSource direct = ConnectionSource.direct(postgres.jdbcUrl(), "postgres", null, 2_000);
        ConnectionSource pooled = ConnectionSource.direct(pgbouncer.jdbcUrl(), "postgres", null, 2_000);
        try (java.sql.Connection toPostgres = direct.open(); java.sql.Connection toPooler = pooled.open()) {
            assertThat(toPostgres.unwrap(org.postgresql.PGConnection.class).getPrepareThreshold()).isEqualTo(5);
            assertThat(toPooler.unwrap(org.postgresql.PGConnection.class).getPrepareThreshold()).isZero();
        }
    }

    /** Records every {@code lastError} the nodes' health shows, every 20 ms, until interrupted. */
    private static void watchHealth(List<PostgresNode> nodes, Set<String> errors) {
        while (!Thread.currentThread().isInterrupted()) {
            for (PostgresNode node : nodes) {
                Map<String, Object> details = node.hub.transportHealth().orElseThrow().details();
                Object error = details.get("lastError");
                if (error != null) {
                    errors.add(String.valueOf(error));
                }
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                return;
            }
        }
    }
}
