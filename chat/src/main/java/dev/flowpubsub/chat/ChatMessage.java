package dev.flowpubsub.chat;

/**
 * A message said in a room. A record, so it crosses servers as JSON: {@code pubsub.allowed-types} names it.
 *
 * @param author the name its sender gave on the rooms page
 * @param text   what was typed, shown as text, never as HTML
 */
public record ChatMessage(String author, String text) {
}
