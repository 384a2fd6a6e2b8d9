/**
 * A shared signal write on one node until every page on another node shows it, beside a message to the same pages.
 */
package dev.flowpubsub.benchmarks.crosssignal;
