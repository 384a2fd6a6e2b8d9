package dev.flowpubsub.spi.support;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A transport's threads: made alike, inheriting nothing; closing waits for them, but not for ever. */
class EngineThreadsTest {

    private static final InheritableThreadLocal<String> CONTEXT = new InheritableThreadLocal<>();

    @Test
    void aLoopThread_isANamedPlatformDaemon_thatInheritsNoThreadLocals() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        CONTEXT.set("alice's security context");
        try {
            Thread thread = EngineThreads.start("flow-pubsub-test-reader-node~1",
                    () -> seen.complete(String.valueOf(CONTEXT.get())));

            assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("null");
            assertThat(thread.getName()).isEqualTo("flow-pubsub-test-reader-node~1");
            assertThat(thread.isDaemon()).isTrue();
            assertThat(thread.isVirtual()).isFalse();
        } finally {
            CONTEXT.remove();
        }
    }

    @Test
    void join_waitsNoLongerThanItsBound() {
        CountDownLatch release = new CountDownLatch(1);
        Thread stuck = EngineThreads.start("flow-pubsub-test-stuck", () -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // ends
            }
        });
        long start = System.nanoTime();

        EngineThreads.join(stuck, Duration.ofMillis(200));

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofMillis(150), Duration.ofSeconds(5));
        assertThat(stuck.isAlive()).isTrue();
        release.countDown();
        EngineThreads.join(stuck, Duration.ofSeconds(5));
        assertThat(stuck.isAlive()).isFalse();
    }

    @Test
    void join_whenTheClosingThreadIsInterrupted_returnsAtOnce_keepingTheInterrupt() {
        CountDownLatch release = new CountDownLatch(1);
        Thread stuck = EngineThreads.start("flow-pubsub-test-stuck", () -> {
            try {
                release.await();
            } catch (InterruptedException ignored) {
                // ends
            }
        });
        try {
            Thread.currentThread().interrupt();

            EngineThreads.join(stuck, Duration.ofMinutes(1));

            assertThat(Thread.interrupted()).isTrue();
        } finally {
            release.countDown();
        }
    }
}
