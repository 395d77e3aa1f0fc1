#!/usr/bin/env bash
# Measures the control plane: the packaged control service run as a process (start time, memory), and per round a
# job's start to RUNNING and to its first batch, reconfiguration downtime with no event lost, and graceful stop.
# Starts its own Cassandra, generator and service (which launches the drivers); stops them all, also on Ctrl-C.
# Arguments go to io.streamcontrol.bench.ControlBenchmark (--help lists them). SKIP_BUILD=true skips the build.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# JDK 25 breaks Cassandra 5.0 and Spark 3.5
export JAVA_HOME="${JAVA_HOME_17:-/usr/lib/jvm/java-17-openjdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
export SPARK_LOCAL_IP=127.0.0.1

for arg in "$@"; do
  if [ "$arg" = --help ] || [ "$arg" = -h ]; then SKIP_BUILD=true; fi
done

if [ "${SKIP_BUILD:-false}" != true ]; then
  echo "==> Building (./mvnw -B -q -ntp -DskipTests package)" >&2
  (cd "$ROOT" && ./mvnw -B -q -ntp -DskipTests package)
fi

CLASSPATH_FILE="$ROOT/benchmarks/target/classpath.txt"
JOB_JAR=$(ls "$ROOT"/streaming-job/target/streaming-job-*-job.jar 2>/dev/null | head -1 || true)
SERVICE_JAR=$(ls "$ROOT"/control-service/target/control-service-*.jar 2>/dev/null | head -1 || true)
if [ ! -f "$CLASSPATH_FILE" ] || [ -z "$JOB_JAR" ] || [ -z "$SERVICE_JAR" ]; then
  echo "Not built yet: run without SKIP_BUILD=true" >&2
  exit 1
fi

exec java ${BENCH_JAVA_OPTS:--Xmx1g} \
  -Dspark.home="$ROOT/spark-home/target/spark-home" \
  -Djob.jar="$JOB_JAR" \
  -Dservice.jar="$SERVICE_JAR" \
  -cp "$ROOT/benchmarks/target/classes:$(cat "$CLASSPATH_FILE")" \
  io.streamcontrol.bench.ControlBenchmark "$@"
