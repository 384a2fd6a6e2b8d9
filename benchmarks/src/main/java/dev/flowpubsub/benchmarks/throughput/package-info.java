/**
 * How many messages a second one Redis stream carries between node processes.
 */
package dev.flowpubsub.benchmarks.throughput;
