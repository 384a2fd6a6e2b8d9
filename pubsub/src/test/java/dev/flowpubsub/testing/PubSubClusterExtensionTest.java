package dev.flowpubsub.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The JUnit 5 extension: a cluster per test, closed after it, and the seed in a failure. */
class PubSubClusterExtensionTest {

    /** Run by this test through JUnit's launcher, not by the build (a nested class). */
    static final class Scenarios {

        static final List<PubSubCluster> SEEN = new CopyOnWriteArrayList<>();

        @RegisterExtension
        final PubSubClusterExtension servers = PubSubClusterExtension.of(cluster -> cluster.nodes("a", "b").seed(7));

        @Test
        void passes() {
            SEEN.add(servers.cluster());
            assertThat(servers.cluster().node("b").isRunning()).isTrue();
        }

        @Test
        void fails() {
            SEEN.add(servers.cluster());
            assertThat(servers.cluster().random().nextInt(10)).isEqualTo(-1);
        }
    }

    @Test
    void eachTestGetsAClusterOfItsOwn_closedAfterIt_andAFailureSaysTheSeed() {
        Scenarios.SEEN.clear();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(Scenarios.class)).build(),
                listener);

        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
        assertThat(summary.getFailures()).hasSize(1);
        Throwable failure = summary.getFailures().get(0).getException();
        assertThat(failure.getSuppressed()).extracting(Throwable::getMessage)
                .anySatisfy(message -> assertThat(message).contains("seed 7").contains(".seed(7L)"));
        assertThat(Scenarios.SEEN).hasSize(2).doesNotHaveDuplicates()
                .allSatisfy(cluster -> assertThat(cluster.nodes()).noneMatch(ClusterNode::isRunning));
    }
}
