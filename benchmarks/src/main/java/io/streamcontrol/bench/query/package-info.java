/**
 * The query benchmark: the control service's rollup queries under load from wrk while the job ingests, against the
 * same answer computed by Spark SQL.
 */
package io.streamcontrol.bench.query;
