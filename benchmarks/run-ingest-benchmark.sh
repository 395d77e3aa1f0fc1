#!/usr/bin/env bash
# Measures Cassandra's own write limit for the job's raw rows, the highest event rate the streaming job sustains per
# batch interval (bisection, full-length repetitions, exact tables), the same for a plain baseline job, and the job at
# that rate with other key spaces. Starts its own Cassandra, generator and spark-submit applications; stops them all.
# Arguments go to io.streamcontrol.bench.ingest.IngestBenchmark (--help lists them). SKIP_BUILD=true skips the build.
# The harness holds the exactness check's recomputation (a bit per line, aggregates per key): BENCH_JAVA_OPTS=-Xmx..
source "$(dirname "$0")/bench-env.sh"

BASELINE_JAR=$(ls "$ROOT"/benchmarks/target/benchmarks-*-baseline.jar 2>/dev/null | head -1 || true)
require_built "$BASELINE_JAR"

# the command line as given, for the report (arguments quoted only where a shell needs it)
COMMAND="$0"
for arg in "$@"; do
  if [[ "$arg" =~ ^[A-Za-z0-9_./:=,@+-]+$ ]]; then COMMAND+=" $arg"; else COMMAND+=" $(printf '%q' "$arg")"; fi
done

exec java ${BENCH_JAVA_OPTS:--Xmx3g} \
  -Dspark.home="$SPARK_HOME_DIR" \
  -Djob.jar="$JOB_JAR" \
  -Dbaseline.jar="$BASELINE_JAR" \
  -Dbench.command="$COMMAND" \
  -cp "$BENCH_CLASSPATH" \
  io.streamcontrol.bench.ingest.IngestBenchmark "$@"
