package dev.flowpubsub;

import com.vaadin.flow.signals.shared.impl.LocalAsynchronousSignalTree;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Pins what the shared signals rely on in Vaadin's impl package: run on every flow-server upgrade. */
class SignalTreeAccessTest {

    @Test
    void thisFlowServersSignalTree_isTheOneReliedOn() {
        SignalTreeAccess.check();
        assertThat(SignalTreeAccess.find(com.vaadin.flow.signals.shared.impl.AsynchronousSignalTree.class))
                .isInstanceOf(java.util.Map.class);
    }

    @Test
    void aTreeWithoutTheQueue_failsWithAMessageNamingTheVersionsThatWork() {
        assertThat(SignalTreeAccess.find(LocalAsynchronousSignalTree.class))
                .isInstanceOfSatisfying(IllegalStateException.class, e -> assertThat(e.getMessage())
                        .contains("do not work with flow-server").contains("Versions that work: flow-server 25.2"));
    }
}
