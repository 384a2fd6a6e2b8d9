package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;
import org.jspecify.annotations.Nullable;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * Reads topics' histories from the history table, many topics per query, on one thread with one connection: reads
 * wait in a queue (never dropped), and each turn takes up to {@value #TOPICS_PER_QUERY} of them (and
 * {@value #ROWS_PER_QUERY} rows) into one query. A
 * node that just started, with a page subscribing to hundreds of topics at once, so holds one connection for them,
 * not one each. Each read returns the topic's newest rows up to the log id the reader has handed to the hub (see
 * {@code Transport.history}), so nothing in it arrives again through the log.
 *
 * <p>A read fails when PostgreSQL has not answered it within the hub's history timeout of its turn coming (it leaves
 * the queue): the time it waited in the queue does not count, though a read fails anyway once it has waited and taken
 * the history timeout plus twice the command timeout in all. A query that fails on a connection held from before is
 * tried once more on a new one (PostgreSQL may have restarted since); one that fails again fails its reads, with the
 * error's text scrubbed of secrets. On the application's pool the connection goes back before the reads are answered
 * whenever no read waits or another of the transport's threads wants it.
 *
 * <p>Threading: {@link #read} from any thread; {@link #run} on the transport's history thread, which completes the
 * reads (the hub decodes them on its own threads).
 */
final class PostgresHistory implements Runnable {

    /** The most topics one query reads. */
    static final int TOPICS_PER_QUERY = 500;
    /** The most rows one query reads (the sum of its reads' limits), so one answer stays small in memory. */
    static final int ROWS_PER_QUERY = 10_000;

    private final ConnectionSource source;
    private final PostgresSchema schema;
    private final TransportContext context;
    private final Supplier<@Nullable Long> handedOver;
    private final String displayUrl;
    private final UnaryOperator<String> redactor;
    /** How long a read may wait in the queue and take, all told. */
    private final Duration queueBound;
    private final LinkedBlockingQueue<Read> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    /** One topic's read, as the hub asked for it. */
    private record Read(String topic, int limit, CompletableFuture<List<TransportEnvelope>> answer) {
    }

    PostgresHistory(ConnectionSource source, PostgresSchema schema, TransportContext context,
                    Supplier<@Nullable Long> handedOver, String displayUrl, UnaryOperator<String> redactor,
                    Duration commandTimeout) {
        this.source = source;
        this.schema = schema;
        this.context = context;
        this.handedOver = handedOver;
        this.displayUrl = displayUrl;
        this.redactor = redactor;
        this.queueBound = context.historyTimeout().plus(commandTimeout.multipliedBy(2));
    }

    /** Queues a read of the topic's newest {@code limit} messages; the stage completes on the history thread. */
    CompletionStage<List<TransportEnvelope>> read(String topic, int limit) {
        if (handedOver.get() == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("PostgreSQL " + displayUrl + " has not been reached yet"));
        }
        Read read = new Read(topic, limit, new CompletableFuture<>());
        // bounded from the queue too: a turn that never comes (an application's pool exhausted for long) fails the read
        var unused = read.answer.orTimeout(queueBound.toMillis(), TimeUnit.MILLISECONDS);
        queue.add(read);
        if (closed) {
            failQueued();
        }
        return read.answer;
    }

    @Override
    public void run() {
        Connection connection = null; // held between reads (on the application's pool, only while reads wait)
        List<Read> batch = new ArrayList<>(TOPICS_PER_QUERY);
        try {
            while (!closed) {
                Read first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    connection = source.giveBackIfPooled(connection); // idle: back to the application's pool
                    continue;
                }
                batch.add(first);
                takeMore(batch);
                long timeout = context.historyTimeout().toMillis();
                for (Read read : batch) {
                    var unused = read.answer.orTimeout(timeout, TimeUnit.MILLISECONDS); // from its turn, not queued
                }
                connection = answer(connection, batch);
                batch.clear();
            }
        } catch (InterruptedException interrupted) {
            // closing
        } finally {
            batch.forEach(read -> read.answer.completeExceptionally(new IllegalStateException("the transport is closed")));
            failQueued();
            ConnectionSource.closeQuietly(connection);
        }
    }

    /** Moves more queued reads into the batch: up to {@value #TOPICS_PER_QUERY} reads, {@value #ROWS_PER_QUERY} rows. */
    private void takeMore(List<Read> batch) {
        int rows = batch.getFirst().limit;
        for (Read next; batch.size() < TOPICS_PER_QUERY && (next = queue.peek()) != null; ) {
            if (rows + next.limit > ROWS_PER_QUERY) {
                return;
            }
            rows += next.limit;
            batch.add(queue.poll()); // this thread is the queue's only taker: the one it peeked at
        }
    }

    /**
     * Answers the batch, on the connection held (or a new one): a held connection that fails is tried once more on a
     * new one (PostgreSQL may have restarted, or ended an idle session, since the last read), within the reads' time.
     * Returns the connection to hold on to, if any.
     */
    private @Nullable Connection answer(@Nullable Connection held, List<Read> batch) {
        Connection connection = held;
        for (int attempt = 0; ; attempt++) {
            boolean reused = connection != null;
            try {
                Connection open = connection != null ? connection : source.open();
                connection = open;
                Map<Read, List<TransportEnvelope>> answers = query(open, batch);
                // given back before the reads complete: whoever acts on an answer finds the connection free
                Connection kept = queue.isEmpty() || source.contended() ? source.giveBackIfPooled(open) : open;
                answers.forEach((read, newest) -> read.answer.complete(newest));
                return kept;
            } catch (SQLException | RuntimeException failure) {
                ConnectionSource.closeQuietly(connection);
                connection = null;
                if (reused && attempt == 0 && batch.stream().anyMatch(read -> !read.answer.isDone())) {
                    continue;
                }
                IllegalStateException scrubbed = new IllegalStateException("reading history from PostgreSQL "
                        + displayUrl + " failed: " + failure.getClass().getSimpleName() + ": "
                        + redactor.apply(String.valueOf(failure.getMessage())));
                batch.forEach(read -> read.answer.completeExceptionally(scrubbed));
                return null;
            }
        }
    }

    /** Reads every topic of the batch in one query, up to the log id handed over now: each read's newest rows. */
    private Map<Read, List<TransportEnvelope>> query(Connection connection, List<Read> batch) throws SQLException {
        Map<String, Integer> limits = new LinkedHashMap<>();
        for (Read read : batch) {
            limits.merge(read.topic, read.limit, Math::max);
        }
        byte[][] topics = new byte[limits.size()][];
        Integer[] keep = new Integer[limits.size()];
        int i = 0;
        for (Map.Entry<String, Integer> topic : limits.entrySet()) {
            topics[i] = topic.getKey().getBytes(StandardCharsets.UTF_8);
            keep[i++] = topic.getValue();
        }
        Map<String, List<TransportEnvelope>> kept = new HashMap<>();
        Array topicArray = connection.createArrayOf("bytea", topics);
        Array keepArray = connection.createArrayOf("int4", keep);
        try (PreparedStatement query = connection.prepareStatement(schema.readHistoriesSql())) {
            query.setInt(1, context.maxPayloadBytes());
            query.setArray(2, topicArray);
            query.setArray(3, keepArray);
            Long position = handedOver.get(); // read now: everything up to it has reached the hub
            if (position == null) {
                throw new SQLException("PostgreSQL " + displayUrl + " has not been reached yet");
            }
            query.setLong(4, position);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String topic = new String(rows.getBytes(1), StandardCharsets.UTF_8);
                    byte[] payload = rows.getBytes(5);
                    if (payload == null) {
                        context.rejected(schema.history + ":" + topic, "history row over the size limit of "
                                + context.maxPayloadBytes() + " bytes");
                        continue;
                    }
                    try {
                        kept.computeIfAbsent(topic, t -> new ArrayList<>()).add(new TransportEnvelope(
                                rows.getString(2), rows.getLong(3), topic, payload, Math.max(0, rows.getLong(4))));
                    } catch (IllegalArgumentException | NullPointerException malformed) {
                        context.rejected(schema.history + ":" + topic, "malformed history row");
                    }
                }
            }
        } finally {
            topicArray.free();
            keepArray.free();
        }
        Map<Read, List<TransportEnvelope>> answers = new LinkedHashMap<>(); // reads differ by their futures
        for (Read read : batch) {
            List<TransportEnvelope> newest = kept.getOrDefault(read.topic, List.of());
            answers.put(read, List.copyOf(newest.subList(Math.max(0, newest.size() - read.limit), newest.size())));
        }
        return answers;
    }

    private void failQueued() {
        Read left;
        while ((left = queue.poll()) != null) {
            left.answer.completeExceptionally(new IllegalStateException("the transport is closed"));
        }
    }

    /** Fails what waits and stops the thread (which the transport interrupts). */
    void close() {
        closed = true;
        failQueued();
    }
}
