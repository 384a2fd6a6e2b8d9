package dev.flowpubsub.postgres;

import dev.flowpubsub.Inbox;
import dev.flowpubsub.PubSubHub;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Sends "prefix:0", "prefix:1", ... on a hub's topic "flow" from a thread of its own until stopped or done. */
final class Sender implements AutoCloseable {

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger sent = new AtomicInteger();
    private final Thread thread;

    Sender(PubSubHub hub, String prefix, Duration pause, int limit) {
        thread = Thread.ofPlatform().start(() -> {
            while (running.get() && sent.get() < limit) {
                hub.sendAllOnTopic("flow", prefix + ":" + sent.get());
                sent.incrementAndGet();
                if (!pause.isZero()) {
                    sleep(pause);
                }
            }
        });
    }

    Sender(PubSubHub hub, String prefix, Duration pause) {
        this(hub, prefix, pause, Integer.MAX_VALUE);
    }

    int sent() {
        return sent.get();
    }

    /** Stops sending and returns how many were sent. */
    int stop() {
        running.set(false);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return sent.get();
    }

    @Override
    public void close() {
        stop();
    }

    static List<Object> expected(String prefix, int count) {
        return IntStream.range(0, count).mapToObj(n -> (Object) (prefix + ":" + n)).toList();
    }

    static List<Object> from(Inbox inbox, String prefix) {
        return inbox.messages.stream().filter(m -> ((String) m).startsWith(prefix + ":")).toList();
    }

    /** Waits until the page has {@code count} of the sender's messages, then checks: none lost, none twice, in order. */
    static void awaitAll(Inbox inbox, String prefix, int count) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> from(inbox, prefix).size() >= count);
        assertThat(from(inbox, prefix)).as("messages of %s: none lost, none twice, in order", prefix)
                .containsExactlyElementsOf(expected(prefix, count));
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
