package dev.flowpubsub;

import dev.flowpubsub.spi.Transport;
import dev.flowpubsub.testing.InMemoryEngine;
import dev.flowpubsub.testing.InMemoryTransport;

/** The signal log suite on the in-memory engine (threaded, as the real engines are). */
class InMemorySignalLogTest extends SignalLogConformanceSuite implements SignalsUnderHubsConformance {

    private final InMemoryEngine engine = InMemoryEngine.threaded();
    private final InMemoryTransport.Bus bus = new InMemoryTransport.Bus(engine);

    @Override
    protected Transport newTransport(String node) {
        return bus.newTransport(node);
    }

    @Override
    protected void stopEngine() {
        engine.lose();
    }

    @Override
    protected void startEngine() {
        engine.back(true);
    }

    @Override
    protected void restartEngineEmpty() {
        engine.lose();
        engine.back(false);
    }
}
