package dev.flowpubsub.postgres;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.testsupport.PostgresServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real PostgreSQL server for each test, and the nodes and other things the test opens on it, closed after the
 * test in the reverse order, then PostgreSQL (resumed first if the test froze it).
 *
 * <pre>{@code @RegisterExtension final PostgresTestbed testbed = new PostgresTestbed();}</pre>
 */
final class PostgresTestbed implements BeforeEachCallback, AfterEachCallback {

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private PostgresServer postgres;

    @Override
    public void beforeEach(ExtensionContext context) {
        postgres = PostgresServer.start();
    }

    PostgresServer postgres() {
        return postgres;
    }

    /** A node on this test's PostgreSQL, closed after the test. */
    PostgresNode node() {
        return node(transport -> transport);
    }

    /** A node on this test's PostgreSQL with its own transport settings, closed after the test. */
    PostgresNode node(UnaryOperator<PostgresTransport.Builder> settings) {
        return node(postgres.jdbcUrl(), settings, hub -> hub);
    }

    /** A node on the PostgreSQL at {@code jdbcUrl} (a proxy in front of this test's), closed after the test. */
    PostgresNode node(String jdbcUrl, UnaryOperator<PostgresTransport.Builder> settings,
                      UnaryOperator<PubSubHub.Builder> hubSettings) {
        return closeLater(new PostgresNode(jdbcUrl, settings, hubSettings));
    }

    /** Closes {@code closeable} after the test, before whatever was opened before it. */
    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            if (postgres.isRunning()) {
                postgres.resume();
            }
            for (AutoCloseable closeable : closeables.reversed()) {
                closeable.close();
            }
        } finally {
            closeables.clear();
            postgres.close();
        }
    }
}
