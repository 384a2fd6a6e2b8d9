package dev.flowpubsub.benchmarks.e2e;

import dev.flowpubsub.testsupport.PushClient;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;

/** Receipts per message: when each was sent and when the last of the K pages got it. */
final class Tracker implements PushClient.Receipts {
    private final int clients;
    private final ConcurrentHashMap<Long, long[]> inFlight = new ConcurrentHashMap<>(); // {sentNanos, count}
    private final Histogram lastRecipient = new Histogram(TimeUnit.MINUTES.toNanos(5), 3);
    private final Histogram firstRecipient = new Histogram(TimeUnit.MINUTES.toNanos(5), 3);
    private final AtomicInteger pending = new AtomicInteger();
    private final LongAdder pushes = new LongAdder();
    private final Object done = new Object();
    private final AtomicIntegerArray receiptsByClient;

    Tracker(int clients) {
        this.clients = clients;
        this.receiptsByClient = new AtomicIntegerArray(clients);
    }

    /** Clients that saw fewer than {@code sent} of this step's messages. */
    List<Integer> behind(int sent) {
        List<Integer> behind = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            if (receiptsByClient.get(i) < sent) {
                behind.add(i);
            }
        }
        return behind;
    }

    synchronized void reset() {
        for (int i = 0; i < clients; i++) {
            receiptsByClient.set(i, 0);
        }
        inFlight.clear();
        lastRecipient.reset();
        firstRecipient.reset();
        pending.set(0);
        pushes.reset();
    }

    void sending(long seq, long nanos) {
        pending.incrementAndGet();
        inFlight.put(seq, new long[]{nanos, 0});
    }

    void cancel(long seq) {
        if (inFlight.remove(seq) != null) {
            pending.decrementAndGet();
        }
    }

    @Override
    public void received(int client, long seq, long nanos) {
        long[] track = inFlight.get(seq);
        if (track == null) {
            return; // a message of an earlier step or of the warm-up
        }
        receiptsByClient.incrementAndGet(client);
        boolean last;
        boolean first;
        synchronized (track) {
            first = track[1] == 0;
            last = ++track[1] == clients;
        }
        if (first) {
            synchronized (this) {
                firstRecipient.recordValue(Math.max(0, nanos - track[0]));
            }
        }
        if (last && inFlight.remove(seq) != null) {
            synchronized (this) {
                lastRecipient.recordValue(Math.max(0, nanos - track[0]));
            }
            if (pending.decrementAndGet() == 0) {
                synchronized (done) {
                    done.notifyAll();
                }
            }
        }
    }

    @Override
    public void pushed(int client) {
        pushes.increment();
    }

    long pushes() {
        return pushes.sum();
    }

    boolean awaitAll(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (done) {
            while (pending.get() > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(done, Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)));
            }
        }
        return true;
    }

    synchronized Histogram firstRecipient() {
        return firstRecipient.copy();
    }

    synchronized Histogram lastRecipient() {
        return lastRecipient.copy();
    }
}
