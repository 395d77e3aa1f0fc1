/**
 * The reconciliation loop: observes every job's driver, decides what brings it to its desired state, and acts.
 */
package io.streamcontrol.control.jobs.reconcile;
