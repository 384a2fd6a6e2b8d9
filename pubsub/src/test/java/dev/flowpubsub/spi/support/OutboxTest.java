package dev.flowpubsub.spi.support;

import dev.flowpubsub.spi.TransportEnvelope;
import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

import java.io.Serial;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The transports' bounded outbox: its bounds, what it counts, and how often it says it is full. */
class OutboxTest {

    /** The lines a logger was given, with the thread that gave each. */
    static final class RecordingLogger extends LegacyAbstractLogger {
        @Serial
        private static final long serialVersionUID = 1L;

        record Line(Level level, String thread, String text) {
        }

        final List<Line> lines = new CopyOnWriteArrayList<>();

        RecordingLogger() {
            this.name = "outbox-test";
        }

        @Override
        protected String getFullyQualifiedCallerName() {
            return RecordingLogger.class.getName();
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
                                                   Throwable throwable) {
            lines.add(new Line(level, Thread.currentThread().getName(),
                    MessageFormatter.basicArrayFormat(pattern, arguments)));
        }

        @Override
        public boolean isTraceEnabled() {
            return true;
        }

        @Override
        public boolean isDebugEnabled() {
            return true;
        }

        @Override
        public boolean isInfoEnabled() {
            return true;
        }

        @Override
        public boolean isWarnEnabled() {
            return true;
        }

        @Override
        public boolean isErrorEnabled() {
            return true;
        }

        List<Line> warnings() {
            return lines.stream().filter(line -> line.level() == Level.WARN).toList();
        }
    }

    private static TransportEnvelope envelope(long sequence) {
        return new TransportEnvelope("node~1", sequence, "t", new byte[10]);
    }

    @Test
    void whatDoesNotFit_isDroppedAndCounted_inNumberAndInBytes() {
        Outbox byCount = new Outbox("Redis", "redis://h", 2, 1_000, new RecordingLogger());
        for (int n = 1; n <= 5; n++) {
            byCount.offer(envelope(n));
        }
        assertThat(byCount.size()).isEqualTo(2);
        assertThat(byCount.dropped()).isEqualTo(3);

        Outbox byBytes = new Outbox("Redis", "redis://h", 100, 25, new RecordingLogger());
        for (int n = 1; n <= 5; n++) {
            byBytes.offer(envelope(n));
        }
        assertThat(byBytes.size()).isEqualTo(2);
        assertThat(byBytes.bufferedBytes()).isEqualTo(20);
        assertThat(byBytes.dropped()).isEqualTo(3);
    }

    /**
     * A sender faster than the engine for a while: the outbox is full, a batch is written, it fills again. That is
     * one overload, logged once (it was logged after every batch: 132 lines in 2 s), and by the writer, never on the
     * sender's thread, which holds the hub's send lock (issue 19, item 5).
     */
    @Test
    void sustainedOverload_isLoggedOnce_byTheWriter_neverOnTheSendersThread() throws Exception {
        RecordingLogger log = new RecordingLogger();
        Outbox outbox = new Outbox("PostgreSQL", "jdbc:postgresql://h/db", 50, 1_000_000, log);
        AtomicBoolean sending = new AtomicBoolean(true);
        Thread sender = Thread.ofPlatform().name("sender").start(() -> {
            long sequence = 0;
            while (sending.get()) {
                outbox.offer(envelope(++sequence));
            }
        });
        Thread writer = Thread.ofPlatform().name("writer").start(() -> {
            List<TransportEnvelope> batch = new ArrayList<>();
            for (int round = 0; round < 200; round++) {
                outbox.reportOverflow();
                try {
                    TransportEnvelope first = outbox.poll(200, TimeUnit.MILLISECONDS);
                    if (first != null) {
                        batch.add(first);
                        outbox.drainTo(batch, 9);
                    }
                    Thread.sleep(1); // an engine slower than the sender
                } catch (InterruptedException e) {
                    return;
                }
                outbox.written(batch, batch.size());
            }
        });
        writer.join();
        sending.set(false);
        sender.join();

        assertThat(outbox.dropped()).as("the sender was faster").isGreaterThan(1_000);
        assertThat(log.warnings()).singleElement().satisfies(line -> {
            assertThat(line.thread()).isEqualTo("writer");
            assertThat(line.text()).contains("outbox").contains("full");
        });
    }

    /** The outbox empty, nothing dropped, for the quiet time: the overload is over, the next one is logged. */
    @Test
    void anOverloadAfterAQuietTime_isLoggedAgain_aShorterPauseIsTheSameOverload() {
        RecordingLogger log = new RecordingLogger();
        AtomicLong clock = new AtomicLong(1_000);
        Outbox outbox = new Outbox("Redis", "redis://h", 2, 1_000, log, clock::get);
        long almostQuiet = TimeUnit.SECONDS.toNanos(Outbox.QUIET_SECONDS) - 1;

        overflowAndWriteAll(outbox);
        clock.addAndGet(almostQuiet);
        outbox.reportOverflow();
        overflowAndWriteAll(outbox);
        assertThat(log.warnings()).as("a pause shorter than the quiet time").hasSize(1);

        outbox.reportOverflow();
        clock.addAndGet(almostQuiet + 1);
        outbox.reportOverflow();
        overflowAndWriteAll(outbox);
        assertThat(log.warnings()).as("after the quiet time").hasSize(2);
        assertThat(outbox.dropped()).isEqualTo(9);
    }

    /**
     * One long outage, bounded in bytes, whose bytes all sit in the writer's batch that it cannot write: the outbox's
     * queue is empty, but the outage goes on, and is logged once (it was logged again after every quiet 10 s; found by
     * an independent review).
     */
    @Test
    void oneLongOutage_withTheBytesInTheWritersUnwrittenBatch_isLoggedOnce() throws Exception {
        RecordingLogger log = new RecordingLogger();
        AtomicLong clock = new AtomicLong(1);
        Outbox outbox = new Outbox("PostgreSQL", "jdbc:postgresql://h/db", 1_000, 100, log, clock::get);
        long sequence = 0;
        for (int i = 0; i < 10; i++) {
            outbox.offer(envelope(++sequence)); // 100 bytes: full
        }
        List<TransportEnvelope> batch = new ArrayList<>();
        batch.add(outbox.poll(0, TimeUnit.MILLISECONDS));
        outbox.drainTo(batch, 499); // taken by the writer, which cannot write it: the engine is away
        for (int minute = 0; minute < 3; minute++) {
            outbox.offer(envelope(++sequence)); // does not fit
            outbox.reportOverflow();
            for (int second = 0; second < 60; second++) { // a quiet minute, the writer retrying every second
                clock.addAndGet(TimeUnit.SECONDS.toNanos(1));
                outbox.reportOverflow();
            }
        }

        assertThat(outbox.buffered()).as("nothing was written").isEqualTo(10);
        assertThat(log.warnings()).as("warnings in one outage").hasSize(1);
    }

    private static void overflowAndWriteAll(Outbox outbox) {
        for (int n = 1; n <= 5; n++) {
            outbox.offer(envelope(n));
        }
        outbox.reportOverflow();
        List<TransportEnvelope> batch = new ArrayList<>();
        outbox.drainTo(batch, 10);
        outbox.written(batch, batch.size());
        outbox.reportOverflow();
    }
}
