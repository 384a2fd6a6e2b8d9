package dev.flowpubsub.testing;

import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

import java.util.function.UnaryOperator;

/**
 * A {@link PubSubCluster} for each test of a JUnit 5 class, closed after it; when a test fails, its failure says the
 * cluster's seed and how to run the test again with the same random choices.
 *
 * <pre>{@code
 * @RegisterExtension
 * final PubSubClusterExtension servers = PubSubClusterExtension.of(cluster -> cluster.nodes("a", "b")
 *         .routes(new Routes().autoDiscoverViews("com.example.chat")));
 *
 * @Test
 * void aLineSaidOnOneServer_showsOnTheOther() {
 *     PubSubCluster cluster = servers.cluster();
 *     ...
 * }
 * }</pre>
 *
 * <p>Threading: JUnit's; one cluster per test, tests of one instance one at a time.
 */
public final class PubSubClusterExtension
        implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

    private final UnaryOperator<PubSubClusterBuilder> configure;
    private volatile @Nullable PubSubCluster cluster;

    private PubSubClusterExtension(UnaryOperator<PubSubClusterBuilder> configure) {
        this.configure = configure;
    }

    /** A cluster made by {@code configure} from {@link PubSubCluster#builder()} for each test. */
    public static PubSubClusterExtension of(UnaryOperator<PubSubClusterBuilder> configure) {
        return new PubSubClusterExtension(Arguments.notNull(configure, "configure"));
    }

    /**
     * The current test's cluster.
     *
     * @throws IllegalStateException outside a test (in a constructor, a static method, {@code @BeforeAll})
     */
    public PubSubCluster cluster() {
        PubSubCluster current = cluster;
        if (current == null) {
            throw new IllegalStateException("the cluster exists during each test only (from before @BeforeEach to "
                    + "after @AfterEach): register the extension on a field with @RegisterExtension");
        }
        return current;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        cluster = configure.apply(PubSubCluster.builder()).build();
    }

    /** Adds the seed to the failure, as a suppressed exception that test reports print. */
    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
        PubSubCluster current = cluster;
        if (current != null) {
            failure.addSuppressed(new SeedNote(current.seed()));
        }
        throw failure;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        PubSubCluster current = cluster;
        cluster = null;
        if (current != null) {
            context.getExecutionException().ifPresent(failure -> System.err.println(SeedNote.text(current.seed())));
            current.close();
        }
    }

    /** What a failure carries: the seed. Not thrown. */
    static final class SeedNote extends RuntimeException {

        private static final long serialVersionUID = 1L;

        SeedNote(long seed) {
            super(text(seed), null, false, false);
        }

        static String text(long seed) {
            return "PubSubCluster seed " + seed + ": to run the test again with the same random choices, build the "
                    + "cluster with .seed(" + seed + "L)";
        }
    }
}
