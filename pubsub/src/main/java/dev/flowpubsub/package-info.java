/**
 * Flet's PubSub for Vaadin Flow: page-scoped publish/subscribe whose handlers run inside
 * {@code ui.access(...)}, so changes reach other users' browsers by server push.
 *
 * <p>Start with {@link dev.flowpubsub.PubSub#of(com.vaadin.flow.component.UI)} in a view, and
 * {@link dev.flowpubsub.PubSubHub} to send from code that has no page.
 */
@NullMarked
package dev.flowpubsub;

import org.jspecify.annotations.NullMarked;
