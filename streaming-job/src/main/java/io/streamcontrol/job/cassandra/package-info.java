/**
 * The job's writes to Cassandra: raw events in partition-grouped batches, whole-value rollups, the commit.
 */
package io.streamcontrol.job.cassandra;
