package dev.flowpubsub;

import dev.flowpubsub.spi.support.Arguments;
import org.jspecify.annotations.NullMarked;

import java.util.List;

/**
 * Which topics keep their last messages, and how many, for pages that subscribe with
 * {@link PubSub#subscribeTopicWithHistory history}. Off for every topic unless set. With a transport, every node
 * must use the same policy; the engine (Redis) keeps the history too, so a node started later has it.
 *
 * <pre>{@code PubSubHub.builder().history(HistoryPolicy.keep(50, "room:")).install(service);}</pre>
 */
@NullMarked
@FunctionalInterface
public interface HistoryPolicy {

    /** The largest history a topic may keep. */
    int MAX_SIZE = 10_000;

    /**
     * How many of the topic's last messages to keep; 0 for none. Called for every message sent on a topic, so
     * it must be cheap and must not depend on anything but the topic.
     */
    int size(String topic);

    /** No topic keeps history. The default. */
    static HistoryPolicy none() {
        return topic -> 0;
    }

    /**
     * Topics whose names start with one of the prefixes keep their last {@code size} messages.
     *
     * @param size     1 to {@link #MAX_SIZE}
     * @param prefixes topic prefixes such as {@code "room:"}; an empty prefix matches every topic
     */
    static HistoryPolicy keep(int size, String... prefixes) {
        Arguments.positive(size, "size");
        if (size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be at most " + MAX_SIZE + " (got " + size + ")");
        }
        List<String> all = List.of(prefixes);
        if (all.isEmpty()) {
            throw new IllegalArgumentException("name at least one topic prefix (\"\" for every topic)");
        }
        return topic -> {
            for (String prefix : all) {
                if (topic.startsWith(prefix)) {
                    return size;
                }
            }
            return 0;
        };
    }
}
