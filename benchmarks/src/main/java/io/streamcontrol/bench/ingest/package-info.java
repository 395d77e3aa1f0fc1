/**
 * The ingest benchmark: Cassandra's own write limit, the sustained rates of the streaming job and of the baseline
 * (bisection, full-length confirmations), the exactness and freshness of the job's tables, the job with other key
 * spaces.
 */
package io.streamcontrol.bench.ingest;
