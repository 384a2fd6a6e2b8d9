package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.TransportContext;
import dev.flowpubsub.spi.TransportEnvelope;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Reads a topic's last messages from the history table for a node started after they were sent: only rows up to
 * the log id where this node started reading, so none also arrives through the log. Each read runs on a virtual
 * thread of its own with a connection of its own (from the pool, or opened for it), holding no lock, so a slow or
 * frozen PostgreSQL delays nothing but the read itself; the hub gives up on it after its timeout.
 *
 * <p>Threading: {@link #read} from any thread; the stage completes on the read's virtual thread.
 */
final class PostgresHistory {

    private final ConnectionSource source;
    private final PostgresSchema schema;
    private final TransportContext context;
    private final Supplier<Long> startPosition;
    private final String displayUrl;
    private volatile boolean closed;

    PostgresHistory(ConnectionSource source, PostgresSchema schema, TransportContext context,
                    Supplier<Long> startPosition, String displayUrl) {
        this.source = source;
        this.schema = schema;
        this.context = context;
        this.startPosition = startPosition;
        this.displayUrl = displayUrl;
    }

    CompletionStage<List<TransportEnvelope>> read(String topic, int limit) {
        Long start = startPosition.get();
        if (start == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("PostgreSQL " + displayUrl + " has not been reached yet"));
        }
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the transport is closed"));
        }
        CompletableFuture<List<TransportEnvelope>> answer = new CompletableFuture<>();
        Thread.ofVirtual().name("flow-pubsub-postgres-history").inheritInheritableThreadLocals(false).start(() -> {
            try {
                answer.complete(query(topic, limit, start));
            } catch (SQLException | RuntimeException failure) {
                answer.completeExceptionally(failure);
            }
        });
        return answer;
    }

    private List<TransportEnvelope> query(String topic, int limit, long start) throws SQLException {
        try (Connection connection = source.open();
             PreparedStatement read = connection.prepareStatement(schema.readHistorySql())) {
            read.setBytes(1, topic.getBytes(StandardCharsets.UTF_8));
            read.setLong(2, start);
            read.setInt(3, limit);
            List<TransportEnvelope> older = new ArrayList<>();
            try (ResultSet rows = read.executeQuery()) {
                while (rows.next()) {
                    try {
                        older.add(new TransportEnvelope(rows.getString(1), rows.getLong(2), topic, rows.getBytes(4),
                                Math.max(0, rows.getLong(3))));
                    } catch (IllegalArgumentException | NullPointerException malformed) {
                        context.rejected(schema.history + ":" + topic, "malformed history row");
                    }
                }
            }
            return older;
        }
    }

    void close() {
        closed = true;
    }
}
