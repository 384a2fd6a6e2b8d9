package dev.flowpubsub.postgres;

import dev.flowpubsub.spi.TransportHealth;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Health before start: a monitoring probe that runs early sees the same keys as later, as on Redis. */
class PostgresUnstartedHealthTest {

    @Test
    void anUnstartedTransport_isDown_withZeroBuffersAndWhyItSaysSo() {
        try (PostgresTransport transport = PostgresTransport.builder("jdbc:postgresql://127.0.0.1:1/db").build()) {
            TransportHealth health = transport.health();

            assertThat(health.up()).isFalse();
            assertThat(health.details())
                    .containsEntry("wakeUp", "not started")
                    .containsEntry("buffered", 0)
                    .containsEntry("bufferedBytes", 0L)
                    .containsEntry("droppedWhileDown", 0L);
        }
    }
}
