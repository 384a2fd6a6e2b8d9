package dev.flowpubsub.benchmarks;

import dev.flowpubsub.benchmarks.contenders.Contenders;
import dev.flowpubsub.benchmarks.crossnode.CrossNodeTool;
import dev.flowpubsub.benchmarks.memory.MemoryTool;
import dev.flowpubsub.benchmarks.throughput.ThroughputTool;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The memory, cross-node and throughput tools, tiny: they must run and measure something. The memory tool runs in the
 * fast loop; the others start redis-server or PostgreSQL (and the throughput tool node JVMs), so they are integration
 * tests.
 */
class ToolsSmokeTest {

    @Test
    void memory_measuresEveryContender() {
        List<MemoryTool.Result> results = MemoryTool.run(200, 1, Contenders.ALL);

        assertThat(results).extracting(MemoryTool.Result::contender).containsExactlyElementsOf(Contenders.ALL);
        for (MemoryTool.Result result : results) {
            // at this size other work in the test JVM blurs the total; what grew per page must still be seen
            assertThat(result.bytesPerPage()).as(result.toString()).isFinite();
            assertThat(result.topClasses()).as(result.toString()).isNotEmpty()
                    .anySatisfy(line -> assertThat(line).contains(" 1.00 "));
        }
    }

    @Test
    @Tag("integration")
    void crossNode_measuresBothPaths_onARealRedis() throws Exception {
        requireRedisServer();

        CrossNodeTool.Result result = CrossNodeTool.run(40, 2, 0, false, Path.of("target"));

        assertThat(result.localP50Us()).isPositive();
        assertThat(result.remoteP50Us()).isPositive();
        assertThat(result.remoteP99Us()).isGreaterThanOrEqualTo(result.remoteP50Us());
    }

    @Test
    @Tag("integration")
    void crossSignal_measuresASignalWriteAndAMessage_toTheSamePagesOnTheOtherNode() throws Exception {
        requireRedisServer();

        var result = dev.flowpubsub.benchmarks.crosssignal.CrossSignalTool.run("redis", 20, 3, 0, Path.of("target"));

        assertThat(result.messageP50Us()).isPositive();
        assertThat(result.signalP50Us()).isPositive();
        assertThat(result.signalP99Us()).isGreaterThanOrEqualTo(result.signalP50Us());
    }

    @Test
    @Tag("integration")
    void crossNode_measuresBothPaths_onARealPostgres() throws Exception {
        dev.flowpubsub.testsupport.PostgresServer.requirePostgres();

        CrossNodeTool.Result result = CrossNodeTool.run("postgres", 40, 2, 0, 0, false, Path.of("target"));

        assertThat(result.remoteP50Us()).isPositive();
        assertThat(result.remoteP99Us()).isGreaterThanOrEqualTo(result.remoteP50Us());
    }

    @Test
    @Tag("integration")
    void throughput_twoNodeProcesses_receiveEachOthersMessages_throughOnePostgresLog() throws Exception {
        dev.flowpubsub.testsupport.PostgresServer.requirePostgres();

        ThroughputTool.Report report = ThroughputTool.run("postgres", List.of(2), List.of("200", "500"), 1000, 1000,
                Path.of("target/throughput-smoke-postgres"), List.of());

        assertThat(report.nothingLost()).as(report.table() + report.footer()).isTrue();
        assertThat(report.table()).contains("| 2 | 500 | ");
    }

    @Test
    @Tag("integration")
    void throughput_twoNodeProcesses_receiveEachOthersMessages_throughOneStream() throws Exception {
        requireRedisServer();

        ThroughputTool.Report report = ThroughputTool.run(List.of(2), List.of("200", "500"), 1000, 1000,
                Path.of("target/throughput-smoke"), List.of());

        assertThat(report.nothingLost()).as(report.table() + report.footer()).isTrue();
        assertThat(report.table()).contains("| 2 | 500 | ");
    }

    /** As the Redis module's tests do: skipped without redis-server, except on CI, where that is a failure. */
    private static void requireRedisServer() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator, -1)) {
            if (Files.isExecutable(Path.of(dir, "redis-server"))) {
                return;
            }
        }
        String message = "the cross-node smoke test needs redis-server: apt-get install -y redis-server";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError(message + " (CI=true: it must not be skipped)");
        }
        Assumptions.abort(message);
    }
}
