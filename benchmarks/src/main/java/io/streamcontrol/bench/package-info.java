/**
 * The benchmarks: ingest (Cassandra's write limit, the job and a baseline, exactness, freshness), control plane,
 * queries, parser.
 */
package io.streamcontrol.bench;
