package dev.flowpubsub.benchmarks;

import dev.flowpubsub.benchmarks.contenders.BoundTextContender;
import dev.flowpubsub.benchmarks.contenders.Contenders;
import dev.flowpubsub.benchmarks.crossnode.CrossNodeTool;
import dev.flowpubsub.benchmarks.crosssignal.CrossSignalTool;
import dev.flowpubsub.benchmarks.memory.MemoryTool;
import dev.flowpubsub.benchmarks.signalwrites.SignalWritesTool;
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
 * The memory, cross-node, cross-signal, signal-writes and throughput tools, tiny: they must run and measure something.
 * The memory tool and the one-node cross-signal run in the fast loop; the others start redis-server or PostgreSQL (and
 * the throughput tool node JVMs), so they are integration tests.
 */
class ToolsSmokeTest {

    @Test
    void memory_measuresEveryContender_andPagesBoundToALocalAndToAClusterSignal_besideAnUnboundOne() {
        List<String> contenders = new java.util.ArrayList<>(Contenders.ALL);
        contenders.addAll(BoundTextContender.NAMES);

        List<MemoryTool.Result> results = MemoryTool.run(200, 1, contenders);

        assertThat(results).extracting(MemoryTool.Result::contender).containsExactlyElementsOf(contenders);
        assertThat(results.get(0).bytesPerOpenPage()).as("an open page holds a UI and a session").isPositive();
        for (MemoryTool.Result result : results) {
            // at this size other work in the test JVM blurs the total; what grew per page must still be seen
            assertThat(result.bytesPerPage()).as(result.toString()).isFinite();
            assertThat(result.topClasses()).as(result.toString()).isNotEmpty()
                    .anySatisfy(line -> assertThat(line).containsAnyOf(" 1.00 ", " 2.00 "));
        }
    }

    @Test
    void crossSignal_onOneNode_measuresAMessage_ourSignalInMemory_andVaadinsLocalSignal() throws Exception {
        List<CrossSignalTool.Row> rows = CrossSignalTool.run("local", 20, 3, 0, Path.of("target"),
                CrossSignalTool.ROUTES);

        assertThat(rows).extracting(CrossSignalTool.Row::route)
                .containsExactly("message", "cluster signal, in memory", "Vaadin's SharedValueSignal");
        for (CrossSignalTool.Row row : rows) {
            assertThat(row.last().p50Us()).as(row.toString()).isPositive();
            assertThat(row.last().p99Us()).as(row.toString()).isGreaterThanOrEqualTo(row.last().p50Us());
        }
        assertThat(rows.get(2).confirmedOnWriter()).as("Vaadin's tree confirmed every write").isNotNull();
    }

    @Test
    @Tag("integration")
    void signalWrites_confirmsWritesOfTwoNodes_onARealRedis() throws Exception {
        requireRedisServer();

        List<SignalWritesTool.Step> steps = SignalWritesTool.run("redis", List.of(100, 200), 500, 2000,
                Path.of("target"));

        assertThat(steps).hasSize(2);
        SignalWritesTool.Step step = steps.get(1);
        assertThat(step.issued()).as(step.toString()).isPositive();
        assertThat(step.confirmed()).as(step.toString()).isEqualTo(step.issued());
        assertThat(step.appliedByOther()).as(step.toString()).isGreaterThanOrEqualTo(step.issued());
        assertThat(step.confirmP99Ms()).as(step.toString()).isGreaterThanOrEqualTo(step.confirmP50Ms()).isPositive();
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

        List<CrossSignalTool.Row> rows = CrossSignalTool.run("redis", 20, 3, 0, Path.of("target"), CrossSignalTool.ROUTES);

        assertThat(rows).extracting(CrossSignalTool.Row::route).containsExactly("message", "cluster signal");
        for (CrossSignalTool.Row row : rows) {
            assertThat(row.last().p50Us()).as(row.toString()).isPositive();
            assertThat(row.last().p99Us()).as(row.toString()).isGreaterThanOrEqualTo(row.last().p50Us());
            assertThat(row.first().p50Us()).as(row.toString()).isPositive().isLessThanOrEqualTo(row.last().p99Us());
        }
        assertThat(rows.get(1).confirmedOnPages()).as("the pages' node's tree confirmed every write").isNotNull();
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

        ThroughputTool.Report report = ThroughputTool.run("postgres", List.of(2), List.of("200", "500"), 500, 1000,
                Path.of("target/throughput-smoke-postgres"), List.of());

        assertThat(report.nothingLost()).as(report.table() + report.footer()).isTrue();
        assertThat(report.table()).contains("| 2 | 500 | ");
    }

    @Test
    @Tag("integration")
    void throughput_twoNodeProcesses_receiveEachOthersMessages_throughOneStream() throws Exception {
        requireRedisServer();

        ThroughputTool.Report report = ThroughputTool.run(List.of(2), List.of("200", "500"), 500, 1000,
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
