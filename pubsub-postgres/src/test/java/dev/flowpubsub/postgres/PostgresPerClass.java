package dev.flowpubsub.postgres;

import dev.flowpubsub.testsupport.PostgresServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One PostgreSQL for a test class, which saves starting one per test: started before the class's {@code @BeforeAll}
 * methods and stopped after its {@code @AfterAll} ones, left running between tests whatever a test did to it (killed,
 * frozen), and a table prefix of its own for each test, so no test sees another's tables or NOTIFY channels.
 *
 * <pre>{@code @RegisterExtension static final PostgresPerClass postgres = new PostgresPerClass("transport_test_");}</pre>
 */
final class PostgresPerClass implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final String prefix;
    private final AtomicInteger tables = new AtomicInteger();
    private @Nullable PostgresServer server;
    private String table = "";

    PostgresPerClass(String prefix) {
        this.prefix = prefix;
    }

    /** The server. */
    PostgresServer server() {
        return Objects.requireNonNull(server, "PostgreSQL starts before the class's first test");
    }

    /** The table prefix of the running test. */
    String table() {
        return table;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = PostgresServer.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        table = prefix + tables.incrementAndGet();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PostgresServer running = server();
        if (running.isRunning()) {
            running.resume();
        } else {
            running.restart();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
