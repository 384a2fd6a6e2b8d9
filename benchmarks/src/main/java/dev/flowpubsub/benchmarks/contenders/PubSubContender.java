package dev.flowpubsub.benchmarks.contenders;

import dev.flowpubsub.PubSubHub;
import dev.flowpubsub.benchmarks.fixture.Msg;
import dev.flowpubsub.benchmarks.fixture.Page;

import java.time.Duration;

/**
 * flow-pubsub with its defaults (queue of 1,024 per page, delivery lanes on virtual threads): each page subscribes with
 * {@code PubSub.subscribe(Msg.class, handler)} from its UI thread, and the publisher calls {@code hub.sendAll}, as
 * a service or scheduler would.
 */
public final class PubSubContender implements Contender {

    private final PubSubHub hub = PubSubHub.builder().build();

    @Override
    public String name() {
        return "pubsub";
    }

    public PubSubHub hub() {
        return hub;
    }

    @Override
    public void subscribe(Page page) {
        page.ui.accessSynchronously(() -> page.registration = hub.pubSub(page.ui).subscribe(Msg.class, page::show));
    }

    @Override
    public void unsubscribe(Page page) {
        page.registration.remove();
        page.registration = null;
    }

    @Override
    public void send(Msg msg) {
        hub.sendAll(msg);
    }

    /** Waits until the hub's fan-out and drain tasks have finished (Vaadin's unlock and push included). */
    @Override
    public void settle() {
        try {
            if (!hub.awaitIdle(Duration.ofSeconds(30))) {
                throw new IllegalStateException("the hub did not become idle within 30 s: " + hub.stats());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        hub.close();
    }
}
