package dev.flowpubsub.spi;

import java.util.Map;
import java.util.Objects;

/**
 * A transport's state, for health checks and logs.
 *
 * @param up      whether the engine is reachable now
 * @param details what an operator wants to see (address without secrets, buffered envelopes, last error)
 */
public record TransportHealth(boolean up, Map<String, Object> details) {

    /** Keeps an unmodifiable copy of the details. */
    public TransportHealth {
        details = Map.copyOf(Objects.requireNonNull(details, "details must not be null"));
    }

    /** The engine is reachable. */
    public static TransportHealth up(Map<String, Object> details) {
        return new TransportHealth(true, details);
    }

    /** The engine is not reachable now. */
    public static TransportHealth down(Map<String, Object> details) {
        return new TransportHealth(false, details);
    }
}
