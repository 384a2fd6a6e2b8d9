package dev.flowpubsub;

import dev.flowpubsub.spi.support.Arguments;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs pages' batches: a few lanes (one per core, at least two) take ready pages one after another, which costs far
 * less than a thread per page. When every lane has been busy with one page for longer than {@link #STUCK_NANOS} (a
 * slow handler, a blocked push), a watchdog adds a lane, so a slow page holds up the others for about that long at
 * most; never more than {@code maxLanes} lanes run at once.
 *
 * <p>Threading: {@link #schedule} from any thread, never blocks. Lanes and the watchdog are tasks of {@link Tasks}.
 */
final class DeliveryLanes {

    /** What a lane runs: a page's batch of pending messages. */
    interface Page {
        /** Runs what is pending; reports its own failures, so only fatal errors leave it. */
        void drain();
    }

    /** A lane busy with one page for longer than this is taken as stuck. */
    static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Tasks tasks;
    private final int eagerLanes;
    private final int maxLanes;
    /** Pages with a batch to run, waiting for a lane. */
    private final ConcurrentLinkedQueue<Page> ready = new ConcurrentLinkedQueue<>();
    /** Lanes running or about to; up to {@link #eagerLanes} start on demand, more only to get around stuck ones. */
    private final AtomicInteger lanes = new AtomicInteger();
    private final Set<Lane> runningLanes = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean watchdogRunning = new AtomicBoolean();
    private volatile boolean closed;

    DeliveryLanes(Tasks tasks, int maxLanes) {
        this.tasks = tasks;
        this.maxLanes = Arguments.positive(maxLanes, "maxLanes");
        this.eagerLanes = Math.min(maxLanes, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    int maxLanes() {
        return maxLanes;
    }

    /** Whether pages wait for a lane. */
    boolean hasWaiting() {
        return !ready.isEmpty();
    }

    /** Makes a page's batch run soon, on a lane. */
    void schedule(Page page) {
        ready.offer(page);
        startLaneOrWatchdog();
    }

    private void startLaneOrWatchdog() {
        for (;;) {
            int running = lanes.get();
            if (running >= eagerLanes) {
                startWatchdog();
                return;
            }
            if (lanes.compareAndSet(running, running + 1)) {
                startLane();
                return;
            }
        }
    }

    private void startLane() {
        Lane lane = new Lane();
        runningLanes.add(lane);
        tasks.submit(lane);
    }

    /** One delivery lane: runs ready pages' batches until there are none. */
    private final class Lane implements Runnable {
        /** When the current page's batch started (nanoTime), 0 while between pages. */
        volatile long busySince;

        @Override
        public void run() {
            try {
                for (;;) {
                    Page page;
                    while ((page = ready.poll()) != null) {
                        busySince = System.nanoTime();
                        try {
                            page.drain();
                        } finally {
                            busySince = 0;
                        }
                    }
                    lanes.decrementAndGet();
                    // a page may have become ready after the last poll, its scheduler seeing this lane still running
                    if (ready.isEmpty()) {
                        return;
                    }
                    int running = lanes.get();
                    if (running >= eagerLanes || !lanes.compareAndSet(running, running + 1)) {
                        return;
                    }
                }
            } catch (Throwable fatal) {
                // drain() reports everything but fatal errors; this lane ends, its pages go to another
                lanes.decrementAndGet();
                if (!ready.isEmpty()) {
                    startLaneOrWatchdog();
                }
                throw fatal;
            } finally {
                runningLanes.remove(this);
            }
        }

        boolean stuck(long now) {
            long since = busySince;
            return since != 0 && now - since > STUCK_NANOS;
        }
    }

    /** While pages wait and every lane is stuck, adds lanes up to the cap; ends when nothing waits. */
    private void startWatchdog() {
        // read before the CAS: a fan-out schedules every page while the lanes are busy, and a CAS that fails still
        // takes the flag's cache line from the lanes
        if (watchdogRunning.get() || !watchdogRunning.compareAndSet(false, true)) {
            return;
        }
        tasks.submit(() -> {
            try {
                while (!closed && !ready.isEmpty()) {
                    Thread.sleep(Duration.ofNanos(STUCK_NANOS / 2));
                    long now = System.nanoTime();
                    if (!ready.isEmpty() && lanes.get() < maxLanes
                            && runningLanes.stream().allMatch(lane -> lane.stuck(now))) {
                        lanes.incrementAndGet();
                        startLane();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                watchdogRunning.set(false);
                if (!ready.isEmpty() && !closed) {
                    startWatchdog();
                }
            }
        });
    }

    void close() {
        closed = true;
    }
}
