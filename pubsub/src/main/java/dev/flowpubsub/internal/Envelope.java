package dev.flowpubsub.internal;

import com.vaadin.flow.component.UI;

/**
 * One message on its way through the hub: the unit that is queued, fanned out and delivered.
 *
 * @param topic   the topic, or {@code null} for a broadcast ({@code sendAll}/{@code sendOthers})
 * @param message the message object, never {@code null}
 * @param skip    the UI that must not receive it ({@code sendOthers*}), or {@code null}
 */
public record Envelope(String topic, Object message, UI skip) {
}
