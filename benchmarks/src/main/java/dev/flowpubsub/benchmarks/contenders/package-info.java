/**
 * The ways to fan a message out to pages that the benchmarks compare: the docs' Broadcaster, shared signals, flow-pubsub.
 */
package dev.flowpubsub.benchmarks.contenders;
