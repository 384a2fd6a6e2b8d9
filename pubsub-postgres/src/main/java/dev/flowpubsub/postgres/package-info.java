/**
 * flow-pubsub across nodes on PostgreSQL: {@link dev.flowpubsub.postgres.PostgresTransport}.
 */
@NullMarked
package dev.flowpubsub.postgres;

import org.jspecify.annotations.NullMarked;
