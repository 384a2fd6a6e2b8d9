package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;

/**
 * Someone present on a topic: a page that {@link PubSub#join joined} it with a descriptor of itself, on this
 * node or another one.
 *
 * @param id         unique for this join, stable until it ends; the same on every node
 * @param descriptor what the page said about itself when joining (a user name, a record), as it was given
 * @param joinedAt   when it joined, in milliseconds since the epoch, on the clock of the node it joined on
 */
@NullMarked
public record Presence(String id, Object descriptor, long joinedAt) {
}
