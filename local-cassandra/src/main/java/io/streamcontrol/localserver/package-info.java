/**
 * What the local servers (local-cassandra's Cassandra, local-kafka's broker) share: free loopback ports, reading their
 * logs, the child JVM with its pid file, shutdown hook and stop by pid, the JDK they run on, where their jars are,
 * and the JUnit extension that shares one server per test run.
 */
package io.streamcontrol.localserver;
