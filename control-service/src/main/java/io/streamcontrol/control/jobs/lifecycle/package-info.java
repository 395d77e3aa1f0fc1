/**
 * A job's lifecycle: the stored job and its status (the {@code JobStore} port and its Cassandra adapter), the
 * operations on it, and the drivers that run it (launches, standbys, stops, the launcher's callbacks).
 */
package io.streamcontrol.control.jobs.lifecycle;
