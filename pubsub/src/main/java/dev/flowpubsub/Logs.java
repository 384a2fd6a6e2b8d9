package dev.flowpubsub;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's log categories: stable names an operator tunes, whatever class writes the line (classes are split and
 * renamed; these names are not). {@code dev.flowpubsub} tunes them all; the transports log under their own packages
 * ({@code dev.flowpubsub.redis}, {@code dev.flowpubsub.postgres}).
 */
final class Logs {

    /** Delivery on this server: drops, failing handlers, Vaadin failing around a batch, the hub's threads. */
    static final Logger DELIVERY = LoggerFactory.getLogger("dev.flowpubsub.delivery");
    /** Across servers: missed and skipped entries, history reads. */
    static final Logger CLUSTER = LoggerFactory.getLogger("dev.flowpubsub.cluster");
    /** Presence: pages away past the disconnect grace, nodes whose entries went. */
    static final Logger PRESENCE = LoggerFactory.getLogger("dev.flowpubsub.presence");

    private Logs() {
    }
}
