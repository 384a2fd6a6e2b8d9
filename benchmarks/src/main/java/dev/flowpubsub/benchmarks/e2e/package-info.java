/**
 * End to end: protocol-level push clients on the chat application, latency to the last recipient and the rate held.
 */
package dev.flowpubsub.benchmarks.e2e;
