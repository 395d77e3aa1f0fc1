/**
 * Rebuilding the rollup state from the tables at a start, as of the last commit.
 */
package io.streamcontrol.job.seed;
