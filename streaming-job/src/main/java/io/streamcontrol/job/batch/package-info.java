/**
 * Each batch on the driver: one task per source partition scans its lines in order, then the rollups are applied and
 * the batch committed.
 */
package io.streamcontrol.job.batch;
