/**
 * Helpers for testing views that use PubSub without a browser, with Karibu-Testing or plain Flow objects.
 */
package dev.flowpubsub.testing;
