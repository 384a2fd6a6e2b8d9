package dev.flowpubsub.benchmarks;

import dev.flowpubsub.benchmarks.jmh.FanOutBenchmark;
import dev.flowpubsub.benchmarks.jmh.SteadyStreamBenchmark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.util.Collection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark and load path tiny, so the code cannot rot: each must finish in seconds and produce sane
 * numbers. Checks nothing about speed; the numbers that count come from full runs (BENCHMARKS.md).
 */
class SmokeTest {

    @BeforeAll
    static void allowJmhBesideAnotherRun() {
        // a full benchmark run on the same machine holds JMH's lock file; the smoke test must not wait for it
        System.setProperty("jmh.ignoreLock", "true");
        System.setProperty("bench.timeoutSeconds", "20");
        System.setProperty("bench.warmSends", "50"); // the smoke test checks the benchmarks run, not their JIT
    }

    private static Options tiny(Class<?> benchmark, String... params) {
        OptionsBuilder options = new OptionsBuilder();
        options.include(benchmark.getName() + "\\.").forks(0).warmupIterations(0).measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(200)).shouldFailOnError(true);
        for (int i = 0; i < params.length; i += 2) {
            options.param(params[i], params[i + 1].split(","));
        }
        return options.build();
    }

    @Test
    void fanOut_everyContender_reachesEveryPage_andTakesMeasurableTime() throws Exception {
        Collection<RunResult> results = new Runner(tiny(FanOutBenchmark.class, "n", "20")).run();

        assertThat(results).hasSize(2 * 4); // toLastHandler and sendCall for each contender
        for (RunResult result : results) {
            Result<?> primary = result.getPrimaryResult();
            assertThat(primary.getSampleCount()).as(primary.getLabel()).isPositive();
            assertThat(primary.getScore()).as(result.getParams().getBenchmark() + " " + result.getParams().getParam("contender"))
                    .isPositive().isFinite();
        }
    }

    /**
     * The Broadcaster and flow-pubsub only: with the machine's cores busy elsewhere (as in a CI build), a page's
     * shared-signals effect now and then never shows a message of the stream, and the run then waits forever for
     * it (BENCHMARKS.md, "Shared signals"). Full runs keep the signals contender and fail loudly if it happens;
     * its code is still exercised here by the fan-out smoke test.
     */
    @Test
    void steadyStream_broadcasterAndPubSub_completeMessages() throws Exception {
        Collection<RunResult> results = new Runner(tiny(SteadyStreamBenchmark.class, "n", "20", "window", "4",
                "contender", "broadcaster,pubsub")).run();

        assertThat(results).hasSize(2 * 2); // stream and sendCallInStream for each contender
        for (RunResult result : results) {
            if (result.getParams().getBenchmark().endsWith("sendCallInStream")) {
                assertThat(result.getPrimaryResult().getScore()).isPositive().isFinite();
                continue;
            }
            Result<?> messages = result.getSecondaryResults().get("messages");
            assertThat(messages).as("messages counter of " + result.getParams().getParam("contender")).isNotNull();
            assertThat(messages.getScore()).as(result.getParams().getParam("contender")).isPositive().isFinite();
        }
    }
}
