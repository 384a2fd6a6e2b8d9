package dev.flowpubsub;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The hub's tasks on their own: refused tasks are retried, idleness is known, no thread-local leaks in. */
class TasksTest {

    private final HubTimer timer = new HubTimer();

    @AfterEach
    void close() {
        timer.close();
    }

    @Test
    void aTaskTheExecutorRefuses_isOfferedAgainUntilItRuns_once() throws Exception {
        AtomicInteger refusals = new AtomicInteger();
        Executor refusesThrice = command -> {
            if (refusals.incrementAndGet() <= 3) {
                throw new RejectedExecutionException("simulated: the pool is full");
            }
            Thread.ofVirtual().start(command);
        };
        Tasks tasks = new Tasks(refusesThrice, timer);
        AtomicInteger runs = new AtomicInteger();

        tasks.submit(runs::incrementAndGet);

        assertThat(tasks.awaitIdle(Duration.ofSeconds(5), () -> false)).isTrue();
        assertThat(runs).hasValue(1);
        assertThat(refusals).hasValue(4);
    }

    @Test
    void awaitIdle_waitsForRunningTasks_andForWorkThatIsNotATask() throws Exception {
        Tasks tasks = new Tasks(null, timer);
        CountDownLatch release = new CountDownLatch(1);
        tasks.submit(() -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        assertThat(tasks.awaitIdle(Duration.ofMillis(50), () -> false)).isFalse();
        release.countDown();
        assertThat(tasks.awaitIdle(Duration.ofSeconds(5), () -> false)).isTrue();

        tasks.begin();
        assertThat(tasks.awaitIdle(Duration.ofMillis(50), () -> false)).isFalse();
        tasks.done();
        assertThat(tasks.awaitIdle(Duration.ofSeconds(5), () -> false)).isTrue();
        tasks.close();
    }

    @Test
    void aTaskThatThrows_isCountedDone_andTheNextOneRuns() throws Exception {
        Tasks tasks = new Tasks(null, timer);
        CountDownLatch next = new CountDownLatch(1);

        tasks.submit(() -> {
            throw new IllegalStateException("simulated: a bug in a task");
        });
        tasks.submit(next::countDown);

        assertThat(next.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(tasks.awaitIdle(Duration.ofSeconds(5), () -> false)).isTrue();
        tasks.close();
    }

    @Test
    void theHubsOwnThreads_inheritNoInheritableThreadLocal() throws Exception {
        Tasks tasks = new Tasks(null, timer);
        InheritableThreadLocal<String> user = new InheritableThreadLocal<>();
        user.set("ann");
        CompletableFuture<String> seen = new CompletableFuture<>();

        tasks.submit(() -> seen.complete(String.valueOf(user.get())));

        assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("null");
        user.remove();
        tasks.close();
    }
}
