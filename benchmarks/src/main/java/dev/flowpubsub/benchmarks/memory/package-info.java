/**
 * Heap held per subscribed page, from the JVM's class histogram.
 */
package dev.flowpubsub.benchmarks.memory;
