/**
 * A real single-node Kafka broker (KRaft, broker and controller in one) in its own JVM, for the local run, tests and
 * benchmarks.
 */
package io.streamcontrol.kafka;
