package dev.flowpubsub;

/** What the hub's inbox holds, in the one order the fan-out follows: messages, and the hub's own control work. */
sealed interface InboxItem permits Envelope, Control {
}
