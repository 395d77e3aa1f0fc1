#!/usr/bin/env bash
# Measures Cassandra's own write limit for the job's raw rows and the highest event rate the streaming job sustains
# per batch interval, with rollup freshness. Starts its own Cassandra, generator and spark-submit jobs; stops them all.
# Arguments go to io.streamcontrol.bench.IngestBenchmark (--help lists them). SKIP_BUILD=true skips the build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# JDK 25 breaks Cassandra 5.0 and Spark 3.5
export JAVA_HOME="${JAVA_HOME_17:-/usr/lib/jvm/java-17-openjdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
export SPARK_LOCAL_IP=127.0.0.1

if [ "${SKIP_BUILD:-false}" != true ]; then
  echo "==> Building (./mvnw -B -q -DskipTests package)" >&2
  (cd "$ROOT" && ./mvnw -B -q -DskipTests package)
fi

CLASSPATH_FILE="$ROOT/benchmarks/target/classpath.txt"
JOB_JAR=$(ls "$ROOT"/streaming-job/target/streaming-job-*-job.jar 2>/dev/null | head -1 || true)
if [ ! -f "$CLASSPATH_FILE" ] || [ -z "$JOB_JAR" ]; then
  echo "Not built yet: run without SKIP_BUILD=true" >&2
  exit 1
fi

exec java ${BENCH_JAVA_OPTS:--Xmx1g} \
  -Dspark.home="$ROOT/spark-home/target/spark-home" \
  -Djob.jar="$JOB_JAR" \
  -cp "$ROOT/benchmarks/target/classes:$(cat "$CLASSPATH_FILE")" \
  io.streamcontrol.bench.IngestBenchmark "$@"
