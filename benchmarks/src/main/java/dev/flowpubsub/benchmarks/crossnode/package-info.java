/**
 * What crossing nodes through Redis adds to a delivery.
 */
package dev.flowpubsub.benchmarks.crossnode;
