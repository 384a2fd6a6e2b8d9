package dev.flowpubsub;

import com.vaadin.flow.signals.Id;
import com.vaadin.flow.signals.Node;
import dev.flowpubsub.spi.SignalEntry;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SignalCodecTest {

    @Test
    void aReseed_keepsItsSeedAndTheChangeItWasMadeOn() {
        SignalCodec codec = new SignalCodec();
        Map<Id, Node> nodes = new ClusterSignalTree("x", (tree, commands) -> { }).confirmed().nodes();
        byte[] bytes = codec.reseed(SignalCodec.State.of(nodes, Map.of("a", 3L), new SignalCodec.Seed("e", 7, new SignalCodec.Seed("d", 3, null)),
                "epoch",
                4));
        SignalCodec.Payload payload = codec.decode(new SignalEntry(1, "x", "a", 1, SignalCodec.FORMAT, "t", bytes));
        assertThat(payload.reseed()).isNotNull();
        assertThat(payload.reseed().seed()).as(new String(bytes, StandardCharsets.UTF_8))
                .isEqualTo(new SignalCodec.Seed("e", 7, new SignalCodec.Seed("d", 3, null)));
        assertThat(payload.reseed().origins()).containsEntry("a", 3L);
        assertThat(payload.reseed().changedAt()).isEqualTo(4);
        assertThat(payload.reseed().nodes().nodes()).isEqualTo(nodes);
    }
}
