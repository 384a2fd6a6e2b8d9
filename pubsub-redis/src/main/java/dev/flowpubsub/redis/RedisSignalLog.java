package dev.flowpubsub.redis;

import dev.flowpubsub.spi.SignalEntry;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.SignalRead;
import dev.flowpubsub.spi.SignalSnapshot;
import dev.flowpubsub.spi.TransportHealth;
import dev.flowpubsub.spi.support.Arguments;
import dev.flowpubsub.spi.support.EngineConnection;
import dev.flowpubsub.spi.support.Epochs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.flowpubsub.redis.RedisEntries.bytes;
import static dev.flowpubsub.redis.RedisSignalFormat.number;

/**
 * The log shared signals replicate through, on Redis (see {@link SignalLog}): one stream, {@code <stream>:signals},
 * whose entry ids are the positions ({@code 0-1}, {@code 0-2}, ...), an epoch key {@code <stream>:signals:epoch}, and
 * a hash per signal name for its snapshot, {@code <stream>:signals:snapshot:<name>}, where {@code <stream>} is the
 * transport's stream ({@link RedisTransport.Builder#stream}). No {@code MAXLEN}: only {@link #trim} removes entries,
 * when the hub has snapshotted what they held. Redis must not evict these keys: give it {@code noeviction} or a
 * {@code volatile-*} {@code maxmemory-policy} (they have no expiry), as for the transport's stream.
 *
 * <h2>Calls</h2>
 * Every call but a read's wait is one Lua script or one command on one connection of the log's own, so each is atomic
 * and a node's appends reach Redis in the order made ({@link RedisSignalScripts} says what each script does). A read
 * that finds nothing waits with {@code XREAD BLOCK} on a second connection ({@link RedisSignalWait}), then reads
 * again. Both connections open on first use and again after they broke.
 *
 * <h2>Failures</h2>
 * Nothing blocks the caller: every call returns a stage, failed when Redis refused, dropped or did not answer the call
 * within the command timeout (the read: its wait plus twice that), with a message naming the call and the server
 * (never its password). The hub retries. A failed call marks the log down in {@link #health()} until a call, or the
 * probe health starts, succeeds; health is also down while the transport's own connections are.
 *
 * <p>Threading: any method from any thread; the stages complete on Lettuce's threads. No lock: the fields shared
 * between calls are volatile (the epoch last read, the last error) or lock-free (the connections).
 */
final class RedisSignalLog implements SignalLog {

    private static final Logger LOG = LoggerFactory.getLogger(RedisSignalLog.class);

    /** The keys of the log. */
    record Keys(String stream, String epoch, String snapshotPrefix) {

        static Keys under(String transportStream) {
            String prefix = transportStream + ":signals";
            return new Keys(prefix, prefix + ":epoch", prefix + ":snapshot:");
        }

        byte[][] streamAndEpoch() {
            return new byte[][] {bytes(stream), bytes(epoch)};
        }

        String snapshot(String name) {
            return snapshotPrefix + name;
        }
    }

    private final RedisURI uri;
    private final String displayUri;
    private final EngineConnection transport;
    private final Keys keys;
    private final Duration callTimeout;
    private final RedisConnectionSlot commands;
    private final RedisSignalWait waiter;
    private final AtomicBoolean probing = new AtomicBoolean();
    /** The epoch of the last read or append; snapshots and trims are for it only. */
    private volatile @Nullable String readEpoch;
    private volatile @Nullable String lastError;
    private volatile boolean closed;

    /**
     * @param transport   what the transport knows of its own connections, for {@link #health()}
     * @param stream      the transport's stream, under which the log's keys are
     * @param callTimeout how long a call may take before it fails, the read's wait aside
     */
    RedisSignalLog(RedisClient client, RedisURI uri, String displayUri, EngineConnection transport, String stream,
                   Duration callTimeout) {
        this.uri = uri;
        this.displayUri = displayUri;
        this.transport = transport;
        this.keys = Keys.under(stream);
        this.callTimeout = callTimeout;
        this.commands = new RedisConnectionSlot(client, uri);
        this.waiter = new RedisSignalWait(new RedisConnectionSlot(client, uri), bytes(keys.stream()));
    }

    @Override
    public CompletionStage<Long> append(String epoch, List<SignalEntry> entries) {
        Arguments.notNull(epoch, "epoch");
        Arguments.notNull(entries, "entries");
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("entries must not be empty: an append has at least one entry");
        }
        byte[][] args = RedisSignalFormat.appendArgs(newEpoch(), epoch, entries);
        return guard("append signal entries", callTimeout, commands.get()
                .thenCompose(open -> RedisSignalScripts.APPEND.run(open, keys.streamAndEpoch(), args))
                .thenApply(reply -> {
                    RedisSignalFormat.Appended appended = RedisSignalFormat.appended(reply);
                    readEpoch = appended.epoch();
                    if (appended.last() < 0) {
                        throw new IllegalStateException("the signal log is at epoch " + appended.epoch() + ", not "
                                + epoch + ": the engine lost its data since");
                    }
                    return appended.last();
                }));
    }

    @Override
    public CompletionStage<SignalRead> read(long after, @Nullable String name, int limit, Duration wait) {
        if (after < 0) {
            throw new IllegalArgumentException("after must not be negative (got " + after + ")");
        }
        if (name != null && name.isBlank()) {
            throw new IllegalArgumentException("name must be null (every name) or not blank");
        }
        Arguments.positive(limit, "limit");
        if (Arguments.notNull(wait, "wait").isNegative()) {
            throw new IllegalArgumentException("wait must not be negative (got " + wait + ")");
        }
        long deadline = System.nanoTime() + wait.toNanos();
        return guard("read signal entries", wait.plus(callTimeout.multipliedBy(2)), readUntil(after, name, limit,
                deadline));
    }

    /** Reads; while that finds nothing, waits for an append after the head and reads again, up to the deadline. */
    private CompletableFuture<SignalRead> readUntil(long after, @Nullable String name, int limit, long deadline) {
        return readNow(after, name, limit).thenCompose(read -> !read.entries().isEmpty()
                || deadline - System.nanoTime() <= 0 ? CompletableFuture.completedFuture(read)
                : waiter.appendedAfter(read.head(), deadline).thenCompose(appended -> appended
                        ? readUntil(after, name, limit, deadline) : CompletableFuture.completedFuture(read)));
    }

    private CompletableFuture<SignalRead> readNow(long after, @Nullable String name, int limit) {
        byte[][] args = {number(after), number(limit), bytes(name == null ? "" : name), bytes(newEpoch())};
        return commands.get()
                .thenCompose(open -> RedisSignalScripts.READ.run(open, keys.streamAndEpoch(), args))
                .thenApply(reply -> {
                    SignalRead read = RedisSignalFormat.read(reply, keys.stream());
                    readEpoch = read.epoch();
                    return read;
                });
    }

    @Override
    public CompletionStage<Optional<SignalSnapshot>> snapshot(String name) {
        String key = keys.snapshot(Arguments.nonBlank(name, "name"));
        return guard("read a signal snapshot", callTimeout, commands.get()
                .thenCompose(open -> open.async().hmget(bytes(key), RedisSignalFormat.POSITION,
                        RedisSignalFormat.FORMAT, RedisSignalFormat.WRITER, RedisSignalFormat.PAYLOAD))
                .thenApply(values -> RedisSignalFormat.snapshot(name, values, key)));
    }

    @Override
    public CompletionStage<Boolean> putSnapshot(SignalSnapshot snapshot) {
        Arguments.notNull(snapshot, "snapshot");
        String known = readEpoch;
        byte[][] scriptKeys = {bytes(keys.snapshot(snapshot.name())), bytes(keys.epoch())};
        byte[][] args = RedisSignalFormat.snapshotArgs(known == null ? "" : known, newEpoch(), snapshot);
        return guard("put a signal snapshot", callTimeout, commands.get()
                .thenCompose(open -> RedisSignalScripts.PUT_SNAPSHOT.run(open, scriptKeys, args))
                .thenApply(reply -> {
                    RedisSignalFormat.Outcome outcome = RedisSignalFormat.outcome(reply);
                    if (outcome.epochChanged()) {
                        LOG.debug("flow-pubsub: {} not stored: Redis {} lost the signal log since this node read it "
                                + "(epoch {}, now {})", snapshot, displayUri, known, outcome.epoch());
                    } else if (known == null) {
                        readEpoch = outcome.epoch();
                    }
                    return outcome.status() > 0;
                }));
    }

    @Override
    public CompletionStage<Void> trim(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative (got " + position + ")");
        }
        String known = readEpoch;
        byte[][] args = {bytes(known == null ? "" : known), number(position)};
        return guard("trim signal entries", callTimeout, commands.get()
                .thenCompose(open -> RedisSignalScripts.TRIM.run(open, keys.streamAndEpoch(), args))
                .thenAccept(reply -> {
                    RedisSignalFormat.Outcome outcome = RedisSignalFormat.outcome(reply);
                    if (outcome.epochChanged()) {
                        throw new IllegalStateException("not trimmed: Redis lost the signal log since this node read "
                                + "it (epoch " + known + ", now " + outcome.epoch() + ")");
                    }
                }));
    }

    @Override
    public TransportHealth health() {
        String error = lastError;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("engine", "redis");
        details.put("uri", displayUri);
        details.put("stream", keys.stream());
        String epoch = readEpoch;
        details.put("epoch", epoch == null ? "not read yet" : epoch);
        if (error != null) {
            details.put("lastError", error);
            probe();
        } else if (!transport.isUp()) {
            details.put("lastError", String.valueOf(transport.lastError()));
        }
        return !closed && error == null && transport.isUp() ? TransportHealth.up(details)
                : TransportHealth.down(details);
    }

    /** After a failed call: one ping at a time, so health comes back up once Redis does, even if nothing calls. */
    private void probe() {
        if (!closed && probing.compareAndSet(false, true)) {
            var unused = guard("ping", callTimeout, commands.get().thenCompose(open -> open.async().ping()))
                    .whenComplete((pong, failure) -> probing.set(false));
        }
    }

    /**
     * The call's outcome, within {@code bound}: recorded for health, and failed with a message that names the call and
     * the server, secrets removed. A closed log fails every call.
     */
    private <T> CompletionStage<T> guard(String call, Duration bound, CompletionStage<T> work) {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        if (closed) {
            outcome.completeExceptionally(new IllegalStateException("the signal log on Redis " + displayUri
                    + " is closed"));
            return outcome;
        }
        CompletableFuture<T> bounded = work.toCompletableFuture().orTimeout(bound.toMillis(), TimeUnit.MILLISECONDS);
        var unused = bounded.whenComplete((value, failure) -> {
            if (failure == null) {
                lastError = null;
                outcome.complete(value);
            } else {
                IllegalStateException shown = failed(call, bound, failure);
                lastError = shown.getMessage();
                LOG.debug("flow-pubsub: {}", shown.getMessage());
                outcome.completeExceptionally(shown);
            }
        });
        return outcome;
    }

    private IllegalStateException failed(String call, Duration bound, Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof TimeoutException) {
            return new IllegalStateException("Redis " + displayUri + " did not answer within " + bound.toMillis()
                    + " ms to " + call);
        }
        String message = String.valueOf(cause.getMessage());
        String redacted = RedisUris.redact(message, uri);
        String text = "Redis " + displayUri + " failed to " + call + ": " + cause.getClass().getSimpleName() + ": "
                + redacted;
        // the cause is kept for its stack trace, unless its message (and so its toString) quoted the password
        return redacted.equals(message) ? new IllegalStateException(text, cause) : new IllegalStateException(text);
    }

    /** An epoch for Redis to take if it has none: a new one, later than the last, for a Redis that came back empty. */
    private static String newEpoch() {
        return Epochs.next();
    }

    @Override
    public void close() {
        closed = true;
        commands.close();
        waiter.close();
    }

    @Override
    public String toString() {
        return "RedisSignalLog[" + displayUri + ", stream '" + keys.stream() + "']";
    }
}
