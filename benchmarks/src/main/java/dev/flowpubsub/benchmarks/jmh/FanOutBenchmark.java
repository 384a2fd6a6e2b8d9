package dev.flowpubsub.benchmarks.jmh;

import dev.flowpubsub.benchmarks.fixture.Msg;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * One message to N subscribed pages, one at a time: {@link #toLastHandler} is the time from the send call until
 * the last page's handler has run; {@link #sendCall} is the time the publisher's thread spends in the send call
 * alone (the fan-out it starts is awaited outside the measured call, before the next one).
 */
@BenchmarkMode(Mode.SampleTime)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx6g", "-XX:+UseG1GC"})
@Threads(1)
public class FanOutBenchmark {

    /** The pages and the contender under test. */
    @State(Scope.Benchmark)
    public static class Pages extends PagesState {

        @Param({"broadcaster", "signals", "signal-value", "pubsub"})
        public String contender;

        @Param({"1000", "10000", "100000"})
        public int n;

        /** Tabs per browser session: 1 is one tab per user. */
        @Param({"1"})
        public int uisPerSession;

        @Setup(Level.Trial)
        public void setUp() {
            open(contender, n, uisPerSession);
        }

        @Setup(Level.Iteration)
        public void onPublisherThread() {
            // iteration setup runs on the (single) benchmark thread
            subject.preparePublisherThread();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            closeChecked();
        }
    }

    /** The message of one {@link #sendCall} invocation, whose fan-out is awaited after the measured call. */
    @State(Scope.Thread)
    public static class OneMessage {
        Msg msg;

        @Setup(Level.Invocation)
        public void next(Pages state) {
            msg = state.probe.next("hello");
        }

        @TearDown(Level.Invocation)
        public void awaitFanOut(Pages state) {
            state.await(1);
            state.subject.settle();
        }
    }

    /** Lets each {@link #toLastHandler} message settle before the next, outside the measured time. */
    @State(Scope.Thread)
    public static class Settle {
        @TearDown(Level.Invocation)
        public void settle(Pages state) {
            state.subject.settle();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public void toLastHandler(Pages state, Settle settle) {
        Msg msg = state.probe.next("hello");
        state.subject.send(msg);
        state.await(1);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void sendCall(Pages state, OneMessage message) {
        state.subject.send(message.msg);
    }
}
