#!/usr/bin/env bash
# Measures Cassandra's own write limit for the job's raw rows and the highest event rate the streaming job sustains
# per batch interval, with rollup freshness. Starts its own Cassandra, generator and spark-submit jobs; stops them all.
# Arguments go to io.streamcontrol.bench.IngestBenchmark (--help lists them). SKIP_BUILD=true skips the build.
source "$(dirname "$0")/bench-env.sh"

exec java ${BENCH_JAVA_OPTS:--Xmx1g} \
  -Dspark.home="$SPARK_HOME_DIR" \
  -Djob.jar="$JOB_JAR" \
  -cp "$BENCH_CLASSPATH" \
  io.streamcontrol.bench.IngestBenchmark "$@"
