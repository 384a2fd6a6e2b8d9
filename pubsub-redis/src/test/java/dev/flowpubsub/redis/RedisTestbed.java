package dev.flowpubsub.redis;

import dev.flowpubsub.PubSubHubBuilder;
import dev.flowpubsub.testsupport.RedisServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A real redis-server for each test, and the nodes and other things the test opens on it, closed after the test in
 * the reverse order, then Redis (resumed first if the test froze it).
 *
 * <pre>{@code @RegisterExtension final RedisTestbed testbed = new RedisTestbed();}</pre>
 */
final class RedisTestbed implements BeforeEachCallback, AfterEachCallback {

    private final List<AutoCloseable> closeables = new ArrayList<>();
    private RedisServer redis;

    @Override
    public void beforeEach(ExtensionContext context) {
        redis = RedisServer.start();
    }

    /** This test's Redis: appendonly, fsync always, so a kill loses nothing it acknowledged. */
    RedisServer redis() {
        return redis;
    }

    /** A node on this test's Redis, closed after the test. */
    RedisNode node() {
        return node(transport -> transport, hub -> hub);
    }

    /** A node on this test's Redis with its own hub settings, closed after the test. */
    RedisNode node(UnaryOperator<PubSubHubBuilder> hubSettings) {
        return node(transport -> transport, hubSettings);
    }

    RedisNode node(UnaryOperator<RedisTransport.Builder> settings, UnaryOperator<PubSubHubBuilder> hubSettings) {
        return closeLater(new RedisNode(redis.uri(), settings, hubSettings));
    }

    /** Closes {@code closeable} after the test, before whatever was opened before it. */
    <T extends AutoCloseable> T closeLater(T closeable) {
        closeables.add(closeable);
        return closeable;
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        try {
            if (redis.isRunning()) {
                redis.resume();
            }
            for (AutoCloseable closeable : closeables.reversed()) {
                closeable.close();
            }
        } finally {
            closeables.clear();
            redis.close();
        }
    }
}
