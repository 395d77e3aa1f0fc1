/**
 * What the benchmarks share: command lines, a main's frame with its own Cassandra, processes, the control service
 * and its REST API, the Spark driver's API, the sources table, CPU and machine facts, percentiles, Markdown.
 */
package io.streamcontrol.bench.harness;
