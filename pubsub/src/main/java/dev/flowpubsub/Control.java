package dev.flowpubsub;

/**
 * Work that must happen at a point in the hub's single order of messages, run by the fan-out task between two
 * messages: taking a snapshot for a new subscriber, changing presence. What it sees is exactly what every page
 * has been handed before it, and nothing after. Never refused or dropped by the inbox's bound.
 */
record Control(Runnable action) implements InboxItem {
}
