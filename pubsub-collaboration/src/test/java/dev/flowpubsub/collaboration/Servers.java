package dev.flowpubsub.collaboration;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@link TestServer}s of one test, destroyed after it (with the test thread's Karibu mock): register it with
 * {@code @RegisterExtension final Servers servers = new Servers();} and take each server through {@link #add}.
 */
final class Servers implements AfterEachCallback {

    private final List<TestServer> started = new ArrayList<>();

    /** {@code server}, destroyed after the test. */
    TestServer add(TestServer server) {
        started.add(server);
        return server;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            started.stream().filter(server -> server.getService() != null).forEach(TestServer::destroy);
            started.clear();
        } finally {
            MockVaadin.tearDown();
        }
    }
}
