/**
 * A real single-node Cassandra in its own JVM, for the local run, tests and benchmarks.
 */
package io.streamcontrol.cassandra;
