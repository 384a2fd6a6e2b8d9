/**
 * The delivery engine behind {@link dev.flowpubsub.PubSubHub}. Not API: may change in any release.
 */
package dev.flowpubsub.internal;
