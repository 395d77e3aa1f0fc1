#!/usr/bin/env bash
# Measures the control plane: the packaged control service run as a process (start time, memory), and per round a
# job's start to RUNNING and to its first batch, reconfiguration downtime with no event lost, and graceful stop.
# Starts its own Cassandra, generator and service (which launches the drivers); stops them all, also on Ctrl-C.
# Arguments go to io.streamcontrol.bench.control.ControlBenchmark (--help lists them). SKIP_BUILD=true skips the build.
source "$(dirname "$0")/bench-env.sh"
require_built "$SERVICE_JAR"

exec java ${BENCH_JAVA_OPTS:--Xmx1g} \
  -Dspark.home="$SPARK_HOME_DIR" \
  -Djob.jar="$JOB_JAR" \
  -Dservice.jar="$SERVICE_JAR" \
  -cp "$BENCH_CLASSPATH" \
  io.streamcontrol.bench.control.ControlBenchmark "$@"
