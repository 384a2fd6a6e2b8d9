package dev.flowpubsub;

import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testing.InMemoryEngine;
import dev.flowpubsub.testing.InMemoryTransport;
import org.junit.jupiter.api.AfterEach;

/**
 * The shared transport suite on the stepped bus that {@code PubSubCluster} runs on, fault cases included. The suite
 * waits for what it checks, as on a real engine; a thread steps the engine meanwhile, as {@code deliverPending} would.
 */
class SteppedInMemoryTransportTest extends TransportConformanceSuite {

    private final InMemoryEngine engine = InMemoryEngine.stepped(1);
    private final InMemoryTransport.Bus bus = InMemoryTransport.Bus.stepped(engine);
    private final Thread stepper = Thread.ofPlatform().daemon().name("stepper").start(this::step);

    private void step() {
        while (!Thread.currentThread().isInterrupted()) {
            engine.deliverPending();
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    @AfterEach
    void stopStepping() throws InterruptedException {
        stepper.interrupt();
        stepper.join();
    }

    @Override
    protected Transport newTransport() {
        return bus.newTransport();
    }

    @Override
    protected void stopEngine() {
        bus.stop();
    }

    @Override
    protected void startEngine() {
        bus.start();
    }
}
