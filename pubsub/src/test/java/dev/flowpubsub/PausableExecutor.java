package dev.flowpubsub;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An executor a test can stop and restart: while paused, tasks wait in order; {@link #resume()} runs them and
 * everything after on virtual threads. So a test can hold the hub's fan-out and lanes still and look at what piles up.
 */
final class PausableExecutor implements Executor, AutoCloseable {

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Runnable> waiting = new ArrayList<>();
    private boolean paused = true;

    @Override
    public void execute(Runnable task) {
        synchronized (this) {
            if (paused) {
                waiting.add(task);
                return;
            }
        }
        threads.execute(task);
    }

    void resume() {
        List<Runnable> due;
        synchronized (this) {
            paused = false;
            due = List.copyOf(waiting);
            waiting.clear();
        }
        due.forEach(threads::execute);
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
