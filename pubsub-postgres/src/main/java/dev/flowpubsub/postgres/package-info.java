/**
 * flow-pubsub across nodes on PostgreSQL: {@link dev.flowpubsub.postgres.PostgresTransport}.
 */
package dev.flowpubsub.postgres;
