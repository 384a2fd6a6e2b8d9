/**
 * Helpers for testing views that use PubSub without a browser, with Karibu-Testing or plain Flow objects.
 */
@NullMarked
package dev.flowpubsub.testing;

import org.jspecify.annotations.NullMarked;
