package dev.flowpubsub.benchmarks.contenders;

import dev.flowpubsub.benchmarks.fixture.Msg;
import dev.flowpubsub.benchmarks.fixture.Page;

/**
 * One way to get a message from a publisher into every subscribed page's {@link Page#show handler}, inside that
 * page's {@code ui.access}. Each benchmark runs every contender on the same kind of pages with the same handler.
 *
 * <p>Threading: {@link #subscribe} and {@link #unsubscribe} are called from a harness thread holding no session
 * lock; a contender takes the page's lock itself where a view would hold it (a view subscribes from its
 * constructor or {@code onAttach}). {@link #send} is called by one publisher thread.
 */
public interface Contender extends AutoCloseable {

    /** A short name used in reports: {@code broadcaster}, {@code signals} or {@code pubsub}. */
    String name();

    /** Makes the page receive every message sent from now on. */
    void subscribe(Page page);

    /**
     * Stops the page receiving messages, as its view's detach would: removes the page's registration under its
     * session lock.
     */
    default void unsubscribe(Page page) {
        page.ui.accessSynchronously(() -> {
            page.registration.remove();
            page.registration = null;
        });
    }

    /** The publisher's call: the time spent in it is the "send call" benchmark. */
    void send(Msg msg);

    /** Called once on the publisher thread before it sends, to give it what such a thread has in an application. */
    default void preparePublisherThread() {
    }

    /**
     * Waits until the contender is done with the last message beyond running handlers (called outside any
     * measured time, between single-message fan-outs): shared signals confirm each write later, on another thread.
     */
    default void settle() {
    }

    /** Whether every message reaches every page (false for a contender that may skip intermediate values). */
    default boolean deliversEveryMessage() {
        return true;
    }

    @Override
    void close();
}
