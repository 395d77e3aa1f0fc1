/**
 * Parsing and validating one line into an event, or a reject with its reason.
 */
package io.streamcontrol.job.event;
