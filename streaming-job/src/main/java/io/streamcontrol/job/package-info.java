/**
 * The streaming job's entry point (driver lifecycle: start, graceful stop, restart in place) and its DStream graph.
 */
package io.streamcontrol.job;
