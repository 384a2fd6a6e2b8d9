package dev.flowpubsub;

import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testing.InMemoryTransport;

/** The shared transport suite, on the in-memory transport: checks the suite and the hub's cluster side. */
class InMemoryTransportTest extends TransportConformanceSuite {

    private final InMemoryTransport.Bus bus = new InMemoryTransport.Bus();

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
