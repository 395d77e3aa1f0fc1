/**
 * The graceful stop: watching for a stop request, draining what was received, then stopping.
 */
package io.streamcontrol.job.stop;
