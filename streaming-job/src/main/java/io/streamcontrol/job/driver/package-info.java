/**
 * The driver's presence in Cassandra: its heartbeat row and what it does when Cassandra stays out of reach.
 */
package io.streamcontrol.job.driver;
