package dev.flowpubsub;

/** What a page's queue holds, in the order its batch handles them: messages, and the points where subscriptions start. */
sealed interface PageItem permits Envelope, Activation {
}
