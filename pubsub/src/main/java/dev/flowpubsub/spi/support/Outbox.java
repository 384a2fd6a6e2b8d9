package dev.flowpubsub.spi.support;

import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.spi.TransportEnvelope;
import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A transport writer's bounded outbox: the envelopes this node published and its engine has not taken yet, at most
 * {@code capacity} of them waiting (besides the batch the writer is writing) and {@code maxBytes} bytes of payload
 * (that batch's included). What does not fit (the engine away for long, or
 * slower than the node sends) reaches this node's pages only: it is counted ({@link #dropped()}, a transport's
 * {@code droppedWhileDown}) and logged once per outage or overload: by the writer ({@link #reportOverflow}), never
 * on the sender's thread, which holds the hub's send lock; and again only after the outbox has stayed empty, with
 * nothing dropped, for {@value #QUIET_SECONDS} seconds (an overload that pauses for less is the same overload).
 * Shared by the transports so that each bounds and reports the same way.
 *
 * <p>Threading: {@link #offer} from the hub's send path (one thread at a time, see {@link Transport#publish}); the
 * taking and reporting methods from the transport's one writer thread, whose state they keep unsynchronized; the
 * counts from anyone.
 */
@NullMarked
public final class Outbox {

    /** How long the outbox stays empty, nothing dropped, before an overflow counts as a new outage or overload. */
    static final int QUIET_SECONDS = 10;

    private final String engine;
    private final String displayAddress;
    private final int capacity;
    private final long maxBytes;
    private final Logger log;
    private final ArrayBlockingQueue<TransportEnvelope> queue;
    private final AtomicLong bufferedBytes = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    /** Envelopes the writer took and has not written yet. */
    private final AtomicInteger taken = new AtomicInteger();
    private final LongSupplier nanoTime;
    /** Writer thread: {@link #dropped} when the writer last looked. */
    private long droppedSeen;
    /** Writer thread: whether this outage or overload was logged. */
    private boolean warned;
    /** Writer thread: since when the outbox is empty with nothing dropped, after a warning; 0 if it is not. */
    private long quietSinceNanos;

    /**
     * @param engine         the engine's name in the log line ("Redis")
     * @param displayAddress its address as logs may show it: without a password
     * @param log            the transport's logger
     */
    public Outbox(String engine, String displayAddress, int capacity, long maxBytes, Logger log) {
        this(engine, displayAddress, capacity, maxBytes, log, System::nanoTime);
    }

    Outbox(String engine, String displayAddress, int capacity, long maxBytes, Logger log, LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        this.engine = Arguments.notNull(engine, "engine");
        this.displayAddress = Arguments.notNull(displayAddress, "displayAddress");
        this.capacity = Arguments.positive(capacity, "capacity");
        this.maxBytes = Arguments.positive(maxBytes, "maxBytes");
        this.log = Arguments.notNull(log, "log");
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues an envelope for the engine; drops and counts it if the outbox is full (in number or in bytes). */
    public void offer(TransportEnvelope envelope) {
        long size = envelope.payload().length;
        for (;;) {
            long now = bufferedBytes.get();
            if (now + size > maxBytes) {
                dropped.incrementAndGet();
                return;
            }
            if (bufferedBytes.compareAndSet(now, now + size)) {
                break;
            }
        }
        if (!queue.offer(envelope)) {
            bufferedBytes.addAndGet(-size);
            dropped.incrementAndGet();
        }
    }

    /**
     * Logs that the outbox is full, if something was dropped since the writer last looked and this outage or
     * overload has not been logged yet; notices when it is over. Writer thread, at every turn of its loop (at least
     * every second or so), whether the engine is up or not.
     */
    public void reportOverflow() {
        long now = dropped.get();
        if (now == droppedSeen) {
            if (!warned || buffered() > 0) { // a batch the writer took and cannot write is the outage going on
                quietSinceNanos = 0;
            } else if (quietSinceNanos == 0) {
                quietSinceNanos = nanoTime.getAsLong() | 1; // never 0, which means "not quiet"
            } else if (nanoTime.getAsLong() - quietSinceNanos >= TimeUnit.SECONDS.toNanos(QUIET_SECONDS)) {
                warned = false; // over: the next overflow is a new outage or overload
                quietSinceNanos = 0;
            }
            return;
        }
        droppedSeen = now;
        quietSinceNanos = 0;
        if (!warned) {
            warned = true;
            log.warn("flow-pubsub: {} {} has been unreachable for long, or takes messages slower than this node "
                    + "sends them: the outbox ({} messages or {} bytes at most) is full, so new messages reach this "
                    + "node's pages only, not the other nodes (counted in health: droppedWhileDown; the other nodes "
                    + "count them as missed)", engine, displayAddress, capacity, maxBytes);
        }
    }

    /** The next envelope, waiting up to {@code timeout}; {@code null} if none came. Writer thread. */
    public @Nullable TransportEnvelope poll(long timeout, TimeUnit unit) throws InterruptedException {
        TransportEnvelope next = queue.poll(timeout, unit);
        if (next != null) {
            taken.incrementAndGet();
        }
        return next;
    }

    /** Moves up to {@code max} more envelopes to {@code batch}, in order. Writer thread. */
    public void drainTo(List<TransportEnvelope> batch, int max) {
        taken.addAndGet(queue.drainTo(batch, max));
    }

    /**
     * The engine took the first {@code count} envelopes of {@code batch}: they leave it, and their bytes leave the
     * outbox's count. Writer thread.
     */
    public void written(List<TransportEnvelope> batch, int count) {
        long bytes = 0;
        for (int i = 0; i < count; i++) {
            bytes += batch.get(i).payload().length;
        }
        batch.subList(0, count).clear();
        bufferedBytes.addAndGet(-bytes);
        taken.addAndGet(-count);
    }

    /** Whether nothing waits. */
    public boolean isEmpty() {
        return queue.isEmpty();
    }

    /** How many envelopes wait to be taken by the writer. */
    public int size() {
        return queue.size();
    }

    /**
     * How many envelopes the engine has not taken yet: those waiting, and those the writer took into its batch and
     * has not written (a transport's {@code buffered}).
     */
    public int buffered() {
        return queue.size() + taken.get();
    }

    /** How many bytes of payload the engine has not taken yet, waiting or in the writer's batch. */
    public long bufferedBytes() {
        return bufferedBytes.get();
    }

    /** How many envelopes did not fit, since the transport started. */
    public long dropped() {
        return dropped.get();
    }
}
