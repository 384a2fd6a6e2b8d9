package dev.flowpubsub.benchmarks;

import dev.flowpubsub.benchmarks.report.LatencyChart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The latency chart reads the end-to-end tool's result tables and draws one line per contender. */
class LatencyChartTest {

    private static final String HEADER = "| contender | step | K | rate/s | sent | reached all K | skipped sends | first recipient p50 ms "
            + "| last recipient p50 ms | p99 ms | max ms | pushes per message |\n|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";

    @Test
    void headlineRows_ofSeveralRuns_giveTheMedianP99_perContenderAndK(@TempDir Path dir) throws Exception {
        Path run1 = Files.writeString(dir.resolve("a.txt"), "pubsub: 100 push clients\n" + HEADER
                + "| stock | headline | 1,000 | 5 | 300 | 300 | 0 | 5.0 | 17.7 | 911.7 | 1,105.3 | 100 |\n"
                + "| pubsub | headline | 1,000 | 5 | 300 | 300 | 0 | 5.9 | 17.9 | 189.0 | 236.9 | 100 |\n"
                + "| pubsub | ladder | 1,000 | 8 | 300 | 300 | 0 | 5.9 | 17.9 | 999.0 | 999.9 | 100 |\n");
        Path run2 = Files.writeString(dir.resolve("b.txt"), HEADER
                + "| pubsub | headline | 1,000 | 5 | 300 | 300 | 0 | 5.9 | 17.9 | 166.9 | 200.0 | 100 |\n"
                + "| pubsub | headline | 1,000 | 5 | 300 | 300 | 0 | 5.9 | 17.9 | 256.5 | 300.0 | 100 |\n"
                + "| tuned-broadcaster | headline | 1,000 | 40 | 800 | 232 | 0 | 24,813.5 | | | | 883 |\n"
                + "| pubsub | headline | 100 | 5 | 300 | 300 | 0 | 5.9 | 17.9 | 33.0 | 36.9 | 100 |\n");
        Path chart = dir.resolve("chart.png");

        LatencyChart.main(new String[] {"--results", run1 + "," + run2, "--chart", chart.toString()});

        var medians = LatencyChart.medians(java.util.stream.Stream.of(run1, run2).flatMap(file -> {
            try {
                return LatencyChart.read(file).stream();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toList());
        assertThat(medians).containsOnlyKeys("stock", "pubsub"); // a run that never reached all pages has no p99
        assertThat(medians.get("pubsub")).containsEntry(1000, 189.0).containsEntry(100, 33.0);
        assertThat(medians.get("stock")).containsEntry(1000, 911.7);
        assertThat(Files.size(chart)).isPositive();
    }
}
