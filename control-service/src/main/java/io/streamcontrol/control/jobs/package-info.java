/**
 * Jobs: their stored definitions and status, the lifecycle API, the reconciliation loop and restart policy.
 */
package io.streamcontrol.control.jobs;
