package dev.flowpubsub.benchmarks.jmh;

import dev.flowpubsub.benchmarks.fixture.Msg;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * A steady stream: the publisher sends as fast as the contender completes messages, keeping at most
 * {@code window} messages in flight (sent, not yet handled by every page). The result that counts is the
 * {@code messages} counter: messages handled by all N pages per second; {@code deliveries} is that times N
 * (handler calls per second). The stream never stops between iterations, so each one measures steady state.
 * {@link #sendCallInStream} times the publisher's call alone within such a stream.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx6g", "-XX:+UseG1GC"})
@Threads(1)
public class SteadyStreamBenchmark {

    /** The pages, the contender and the publisher's window. */
    @State(Scope.Benchmark)
    public static class Stream extends PagesState {

        // signal-value is left out: it skips intermediate values by design, so its messages never all complete
        @Param({"broadcaster", "signals", "pubsub"})
        public String contender;

        @Param({"10000"})
        public int n;

        @Param({"1"})
        public int uisPerSession;

        /** Messages in flight at most; below the signals log's capacity and pubsub's queue, so nothing is dropped. */
        @Param({"32"})
        public int window;

        int inFlight;

        @Setup(Level.Trial)
        public void setUp() {
            open(contender, n, uisPerSession);
        }

        @Setup(Level.Iteration)
        public void onPublisherThread() {
            subject.preparePublisherThread();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            await(inFlight);
            closeChecked();
        }
    }

    /** What completed during an iteration, reported per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Completed {
        /** Messages handled by every page. */
        public long messages;
        /** Handler calls: messages times N. */
        public long deliveries;

        @Setup(Level.Iteration)
        public void reset() {
            messages = 0;
            deliveries = 0;
        }
    }

    /** The next message of {@link #sendCallInStream}, sent once the window has room (waited for outside the measurement). */
    @State(Scope.Thread)
    public static class Slot {
        Msg msg;

        @Setup(Level.Invocation)
        public void next(Stream state) {
            if (state.inFlight == state.window) {
                state.await(1);
                state.inFlight--;
            }
            msg = state.probe.next("hello");
        }
    }

    /** The publisher's send call in the middle of a steady stream, where the contender is busy delivering. */
    @Benchmark
    @BenchmarkMode(Mode.SampleTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public void sendCallInStream(Stream state, Slot slot) {
        state.subject.send(slot.msg);
        state.inFlight++;
    }

    @Benchmark
    public void stream(Stream state, Completed completed) {
        if (state.inFlight == state.window) {
            state.await(1);
            state.inFlight--;
            completed.messages++;
            completed.deliveries += state.n;
        }
        state.subject.send(state.probe.next("hello"));
        state.inFlight++;
    }
}
