/**
 * The rollup state machine: open time buckets, running totals and sliding top-N as aggregates, and the whole values
 * each batch changes.
 */
package io.streamcontrol.job.rollup;
