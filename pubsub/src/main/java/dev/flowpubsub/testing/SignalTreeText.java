package dev.flowpubsub.testing;

import com.vaadin.flow.signals.shared.SharedNodeSignal;

import java.util.List;
import java.util.Map;

/** A shared signal's confirmed tree as text, one node a line, children indented: for comparing nodes' trees. */
final class SignalTreeText {

    private SignalTreeText() {
    }

    static void append(StringBuilder text, SharedNodeSignal signal, String indent) {
        SharedNodeSignal.SharedNodeSignalState state = signal.peekConfirmed();
        text.append(indent).append(state.value(Object.class)).append('\n');
        List<SharedNodeSignal> list = state.listChildren();
        for (int i = 0; i < list.size(); i++) {
            text.append(indent).append("  [").append(i).append("]\n");
            append(text, list.get(i), indent + "    ");
        }
        for (Map.Entry<String, SharedNodeSignal> entry : state.mapChildren().entrySet()) {
            text.append(indent).append("  ").append(entry.getKey()).append(":\n");
            append(text, entry.getValue(), indent + "    ");
        }
    }
}
