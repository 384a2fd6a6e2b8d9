package dev.flowpubsub.testsupport;

import java.util.function.Consumer;

/**
 * Reads Atmosphere's framing: each message is {@code LENGTH|payload} (length in UTF-16 units); one may span WebSocket
 * frames, and one long poll's answer may hold several, the first after blanks of padding. Each whole payload goes to
 * {@code payloads}, in order. Called by one thread at a time.
 */
final class AtmosphereFrames {

    private final StringBuilder buffer = new StringBuilder();
    private final Consumer<String> payloads;

    AtmosphereFrames(Consumer<String> payloads) {
        this.payloads = payloads;
    }

    void accept(CharSequence data) {
        buffer.append(data);
        for (;;) {
            int start = 0; // a long poll's first answer starts with Atmosphere's padding: blanks before the frame
            while (start < buffer.length() && Character.isWhitespace(buffer.charAt(start))) {
                start++;
            }
            buffer.delete(0, start);
            int bar = buffer.indexOf("|");
            if (bar < 0) {
                break;
            }
            int length;
            try {
                length = Integer.parseInt(buffer, 0, bar, 10);
            } catch (NumberFormatException e) {
                buffer.setLength(0); // not Atmosphere's framing; drop what we cannot read
                break;
            }
            if (buffer.length() < bar + 1 + length) {
                break;
            }
            String payload = buffer.substring(bar + 1, bar + 1 + length);
            buffer.delete(0, bar + 1 + length);
            payloads.accept(payload);
        }
    }
}
