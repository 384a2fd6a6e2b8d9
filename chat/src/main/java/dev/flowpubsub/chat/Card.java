package dev.flowpubsub.chat;

/**
 * A card on the shared board. A record, so it crosses servers as JSON inside the board's list signal:
 * {@code pubsub.allowed-types} names it.
 *
 * @param text   what the card says, shown as text, never as HTML
 * @param author the name its author gave on the rooms page, or "Anonymous"
 */
public record Card(String text, String author) {
}
