/**
 * Where Collaboration Kit users go next: who is here ({@link dev.flowpubsub.collaboration.PubSubAvatarGroup}), a
 * chat with history ({@link dev.flowpubsub.collaboration.PubSubMessageList} and
 * {@link dev.flowpubsub.collaboration.PubSubMessageInput}) and a form whose fields are shared live
 * ({@link dev.flowpubsub.collaboration.PubSubBinder}), built on flow-pubsub's presence, history, authorization and
 * shared signals, so they work across servers on Redis or PostgreSQL as on one.
 *
 * <p>What they send needs no {@code pubsub.allowed-types}: users and messages cross servers as maps of strings and
 * numbers, which the default codec decodes, and are checked when read.
 */
@NullMarked
package dev.flowpubsub.collaboration;

import org.jspecify.annotations.NullMarked;
