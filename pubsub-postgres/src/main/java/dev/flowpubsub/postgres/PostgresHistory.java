package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;

import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
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
 * wait in a queue (never dropped), and each turn takes up to {@value #TOPICS_PER_QUERY} of them into one query. A
 * node that just started, with a page subscribing to hundreds of topics at once, so holds one connection for them,
 * not one each. Each read returns the topic's newest rows up to the log id the reader has handed to the hub (see
 * {@code Transport.history}), so nothing in it arrives again through the log.
 *
 * <p>A read fails when PostgreSQL has not answered it within the hub's history timeout of its query starting: the
 * time it waited in the queue does not count. A failed query fails its reads, with the error's text scrubbed of
 * secrets, and the connection is opened again for the next.
 *
 * <p>Threading: {@link #read} from any thread; {@link #run} on the transport's history thread, which completes the
 * reads (the hub decodes them on its own threads).
 */
final class PostgresHistory implements Runnable {

    /** The most topics one query reads. */
    static final int TOPICS_PER_QUERY = 500;

    private final ConnectionSource source;
    private final PostgresSchema schema;
    private final TransportContext context;
    private final Supplier<Long> handedOver;
    private final String displayUrl;
    private final UnaryOperator<String> redactor;
    private final LinkedBlockingQueue<Read> queue = new LinkedBlockingQueue<>();
    private volatile boolean closed;

    /** One topic's read, as the hub asked for it. */
    private record Read(String topic, int limit, CompletableFuture<List<TransportEnvelope>> answer) {
    }

    PostgresHistory(ConnectionSource source, PostgresSchema schema, TransportContext context,
                    Supplier<Long> handedOver, String displayUrl, UnaryOperator<String> redactor) {
        this.source = source;
        this.schema = schema;
        this.context = context;
        this.handedOver = handedOver;
        this.displayUrl = displayUrl;
        this.redactor = redactor;
    }

    /** Queues a read of the topic's newest {@code limit} messages; the stage completes on the history thread. */
    CompletionStage<List<TransportEnvelope>> read(String topic, int limit) {
        if (handedOver.get() == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("PostgreSQL " + displayUrl + " has not been reached yet"));
        }
        Read read = new Read(topic, limit, new CompletableFuture<>());
        queue.add(read);
        if (closed) {
            failQueued();
        }
        return read.answer;
    }

    @Override
    public void run() {
        Connection connection = null;
        List<Read> batch = new ArrayList<>(TOPICS_PER_QUERY);
        try {
            while (!closed) {
                Read first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    if (source.pooled()) {
                        ConnectionSource.closeQuietly(connection); // back to the application's pool while idle
                        connection = null;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, TOPICS_PER_QUERY - 1);
                long timeout = context.historyTimeout().toMillis();
                for (Read read : batch) {
                    var unused = read.answer.orTimeout(timeout, TimeUnit.MILLISECONDS); // from here, not from queued
                }
                try {
                    connection = connection != null ? connection : source.open();
                    answer(connection, batch);
                } catch (SQLException | RuntimeException failure) {
                    IllegalStateException scrubbed = new IllegalStateException("reading history from PostgreSQL "
                            + displayUrl + " failed: " + failure.getClass().getSimpleName() + ": "
                            + redactor.apply(String.valueOf(failure.getMessage())));
                    batch.forEach(read -> read.answer.completeExceptionally(scrubbed));
                    ConnectionSource.closeQuietly(connection);
                    connection = null;
                }
                batch.clear();
                if (source.contended()) {
                    ConnectionSource.closeQuietly(connection); // the writer waits for it: reads come and go
                    connection = null;
                }
            }
        } catch (InterruptedException interrupted) {
            // closing
        } finally {
            batch.forEach(read -> read.answer.completeExceptionally(new IllegalStateException("the transport is closed")));
            failQueued();
            ConnectionSource.closeQuietly(connection);
        }
    }

    /** Reads every topic of the batch in one query, up to the log id handed over now, and completes each read. */
    private void answer(Connection connection, List<Read> batch) throws SQLException {
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
            query.setArray(1, topicArray);
            query.setArray(2, keepArray);
            query.setLong(3, handedOver.get()); // read now: everything up to it has reached the hub
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String topic = new String(rows.getBytes(1), StandardCharsets.UTF_8);
                    try {
                        kept.computeIfAbsent(topic, t -> new ArrayList<>()).add(new TransportEnvelope(
                                rows.getString(2), rows.getLong(3), topic, rows.getBytes(5),
                                Math.max(0, rows.getLong(4))));
                    } catch (IllegalArgumentException | NullPointerException malformed) {
                        context.rejected(schema.history + ":" + topic, "malformed history row");
                    }
                }
            }
        } finally {
            topicArray.free();
            keepArray.free();
        }
        for (Read read : batch) {
            List<TransportEnvelope> newest = kept.getOrDefault(read.topic, List.of());
            read.answer.complete(List.copyOf(newest.subList(Math.max(0, newest.size() - read.limit), newest.size())));
        }
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
