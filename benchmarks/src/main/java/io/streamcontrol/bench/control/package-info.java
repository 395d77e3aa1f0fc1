/**
 * The control-plane benchmark: the control service as a process, a job's start, reconfigurations with no event lost,
 * its graceful stop, and the service's memory.
 */
package io.streamcontrol.bench.control;
