/**
 * The benchmarks, a package each: ingest (Cassandra's write limit, the job and a baseline, exactness, freshness),
 * control plane, queries, parser and state footprint, on the harness they share.
 */
package io.streamcontrol.bench;
