/**
 * Markdown tables and the fan-out chart from JMH's JSON results.
 */
package dev.flowpubsub.benchmarks.report;
