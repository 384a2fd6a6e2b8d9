package dev.flowpubsub;

import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The replica's read of the log: one in flight at a time, kept across the replica's rounds, so a write or a request
 * that comes while the read waits for entries wakes the replica at once (it appends or runs it, then waits for the
 * same read again) instead of after the read's wait, which would add up to that wait to every write's confirm. A
 * second read is never issued while one is in flight: on Redis it would queue behind the first one's blocking wait.
 *
 * <p>Threading: {@link #next} on the replica's thread; {@link #wake} from any.
 */
final class SignalReads {

    /** The most entries one read gives. */
    static final int PAGE = 500;

    private final SignalLog log;
    private final Duration callTimeout;
    private @Nullable CompletableFuture<SignalRead> reading;
    private volatile CompletableFuture<Void> wakeup = new CompletableFuture<>();

    SignalReads(SignalLog log, Duration callTimeout) {
        this.log = log;
        this.callTimeout = callTimeout;
    }

    /** Something waits for the replica (a write, a request): the read in flight stops holding it. */
    void wake() {
        wakeup.complete(null);
    }

    /**
     * The read's answer: of a read in flight, or of a new one of up to {@value #PAGE} entries after {@code after} that
     * waits up to {@code wait} for one; {@code null} when woken first (the read stays in flight).
     *
     * @throws TimeoutException when neither came within the wait and the call timeout (the read is dropped)
     */
    @Nullable SignalRead next(long after, Duration wait) throws InterruptedException, ExecutionException,
            TimeoutException {
        CompletableFuture<SignalRead> read = reading;
        if (read == null) {
            read = log.read(after, null, PAGE, wait).toCompletableFuture();
            reading = read;
        }
        CompletableFuture<Void> woken = wakeup;
        try {
            CompletableFuture.anyOf(read, woken).get(wait.plus(callTimeout).toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException failed) { // the read failed: thrown below
        } catch (TimeoutException e) {
            reading = null;
            throw e;
        }
        if (woken.isDone()) {
            wakeup = new CompletableFuture<>();
        }
        if (!read.isDone()) {
            return null;
        }
        reading = null;
        return read.get();
    }
}
