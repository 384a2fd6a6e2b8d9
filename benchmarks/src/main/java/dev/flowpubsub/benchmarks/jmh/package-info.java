/**
 * The JMH benchmarks: one message to N pages, the sender's call, and a steady stream.
 */
package dev.flowpubsub.benchmarks.jmh;
