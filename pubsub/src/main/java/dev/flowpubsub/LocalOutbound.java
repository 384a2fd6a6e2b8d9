package dev.flowpubsub;

import com.vaadin.flow.component.UI;
import dev.flowpubsub.spi.SignalLog;
import dev.flowpubsub.spi.TransportHealth;
import org.jspecify.annotations.Nullable;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The outbound path of a hub without transport: a message is numbered and goes to this node's pages, and that is all;
 * there are no other nodes to tell.
 *
 * <p>Threading: any thread.
 */
final class LocalOutbound implements Outbound {

    /** The id of a hub without transport, on its presence entries. */
    static final String LOCAL = "local";

    /** Numbers the messages, which identify them in a topic's history. */
    private final AtomicLong sequence = new AtomicLong();
    private @Nullable Inbound inbound;

    @Override
    public void start(Inbound to) {
        this.inbound = to;
    }

    @Override
    public void send(@Nullable String topic, Object message, @Nullable UI skip, Dispatcher.Sender sender) {
        Inbound hub = started();
        hub.admit(sender);
        hub.publishAdmitted(Envelope.local(topic, message, skip, sequence.incrementAndGet()));
    }

    private Inbound started() {
        Inbound hub = inbound;
        if (hub == null) {
            throw new IllegalStateException("the outbound path was not started");
        }
        return hub;
    }

    @Override
    public void sendProtocol(PresenceMessage message) {
        // no other node
    }

    @Override
    public void checkEncodable(Object value, String what) {
        // nothing travels
    }

    @Override
    public String instanceId() {
        return LOCAL;
    }

    @Override
    public Optional<String> configuredNodeId() {
        return Optional.empty();
    }

    @Override
    public Optional<Duration> presenceHeartbeat() {
        return Optional.empty();
    }

    @Override
    public boolean keepsHistory() {
        return false;
    }

    @Override
    public CompletableFuture<@Nullable List<Envelope>> history(String topic, int limit, Executor decoder) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public boolean isRemote(Envelope envelope) {
        return false;
    }

    @Override
    public RemoteCounts counts() {
        return RemoteCounts.NONE;
    }

    @Override
    public Optional<SignalLog> signalLog() {
        return Optional.empty();
    }

    @Override
    public Optional<TransportHealth> health() {
        return Optional.empty();
    }

    @Override
    public void close(Runnable leaves) {
        // no other node to tell, nothing held
    }
}
