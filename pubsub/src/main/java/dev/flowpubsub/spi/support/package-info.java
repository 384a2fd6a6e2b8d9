/**
 * Helpers for transport modules, not API: the pieces that flow-pubsub-redis and flow-pubsub-postgres share, so that
 * each transport bounds, retries, reports and checks its settings the same way. Public because those modules live in
 * other packages; applications should not use them, and a transport author who does takes them as they are.
 *
 * <p>As Lettuce says of {@code io.lettuce.core.internal}: the classes in this package are not part of the public API
 * and may change without further notice, in any release. No compatibility check covers them.
 *
 * <ul>
 * <li>{@link dev.flowpubsub.spi.support.Arguments}: argument checks that fail with the same clear words everywhere;</li>
 * <li>{@link dev.flowpubsub.spi.support.EngineConnection}: whether the reader and writer reach the engine, for health
 * and logs;</li>
 * <li>{@link dev.flowpubsub.spi.support.EngineLoop} and {@link dev.flowpubsub.spi.support.Backoff}: a reader's or
 * writer's reconnect loop and the pause between its tries;</li>
 * <li>{@link dev.flowpubsub.spi.support.Outbox}: a writer's bounded outbox;</li>
 * <li>{@link dev.flowpubsub.spi.support.EngineSettings}: the settings every engine transport's builder shares.</li>
 * </ul>
 */
@NullMarked
package dev.flowpubsub.spi.support;

import org.jspecify.annotations.NullMarked;
