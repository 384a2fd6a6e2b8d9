/** How many shared signal writes per second one engine confirms, from writers on two nodes. */
package dev.flowpubsub.benchmarks.signalwrites;
