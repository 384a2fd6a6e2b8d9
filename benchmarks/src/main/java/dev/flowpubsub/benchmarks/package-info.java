/**
 * Benchmarks of flow-pubsub beside the Vaadin docs' Broadcaster and Vaadin's shared signals: JMH fan-out
 * benchmarks ({@code jmh}), load tools for memory, end-to-end push and cross-node latency, and the report chart.
 * Never part of the library; only a seconds-long smoke test runs with the build.
 */
package dev.flowpubsub.benchmarks;
