#!/usr/bin/env bash
# Builds and runs the whole pipeline on this machine: a real single-node Cassandra (own JVM), the event generator,
# and the streaming job submitted with spark-submit (Spark local mode). Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"
export JAVA_HOME="${JAVA_HOME_17:-/usr/lib/jvm/java-17-openjdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
export SPARK_LOCAL_IP=127.0.0.1

RUN_DIR="${RUN_DIR:-$ROOT/.local-run}"
CASSANDRA_PORT="${CASSANDRA_PORT:-9042}"
GENERATOR_PORT="${GENERATOR_PORT:-9999}"
RATE="${RATE:-2000}"
RECEIVERS="${RECEIVERS:-2}"
JOB_NAME="${JOB_NAME:-sales}"
KEYSPACE="${KEYSPACE:-sales}"

if [ "${SKIP_BUILD:-false}" != true ]; then
  echo "==> Building (first run downloads dependencies from Maven Central)"
  ./mvnw -B -q -ntp -DskipTests package
fi
JOB_JAR=$(ls "$ROOT"/streaming-job/target/streaming-job-*-job.jar | head -1)
CASSANDRA_JAR=$(ls "$ROOT"/local-cassandra/target/local-cassandra-*.jar | head -1)
SPARK_HOME="$ROOT/spark-home/target/spark-home"
mkdir -p "$RUN_DIR/logs"

PIDS=()
JOB_PID=""
cleanup() {
  trap - INT TERM EXIT
  echo
  if [ -n "$JOB_PID" ] && kill -0 "$JOB_PID" 2>/dev/null; then
    echo "==> Asking the job to stop gracefully"
    java -cp "$JOB_JAR" io.streamcontrol.job.tools.RequestStop 127.0.0.1 "$CASSANDRA_PORT" "$KEYSPACE" "$JOB_NAME" || true
    for _ in $(seq 1 60); do kill -0 "$JOB_PID" 2>/dev/null || break; sleep 1; done
    kill -0 "$JOB_PID" 2>/dev/null && { echo "    job still running: killing pid $JOB_PID"; kill -9 "$JOB_PID"; }
  fi
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do
    pid="${PIDS[$i]}"
    if kill -0 "$pid" 2>/dev/null; then
      echo "==> Stopping pid $pid"
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
      kill -0 "$pid" 2>/dev/null && kill -9 "$pid" 2>/dev/null || true
    fi
  done
  echo "==> Stopped. Data and logs stay in $RUN_DIR"
}
trap cleanup INT TERM EXIT

wait_for_line() { # file pattern seconds pid
  for _ in $(seq 1 $(($3 * 2))); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    kill -0 "$4" 2>/dev/null || { echo "process $4 died; see $1" >&2; tail -20 "$1" >&2; return 1; }
    sleep 0.5
  done
  echo "timed out waiting for '$2' in $1" >&2; return 1
}

echo "==> Starting Cassandra on 127.0.0.1:$CASSANDRA_PORT (data in $RUN_DIR/cassandra)"
java -cp "$CASSANDRA_JAR" io.streamcontrol.cassandra.LocalCassandra --base-dir "$RUN_DIR/cassandra" \
  --native-port "$CASSANDRA_PORT" > "$RUN_DIR/logs/cassandra.out" 2>&1 &
PIDS+=($!)
wait_for_line "$RUN_DIR/logs/cassandra.out" CASSANDRA_READY 180 "${PIDS[-1]}"

echo "==> Starting the event generator on 127.0.0.1:$GENERATOR_PORT ($RATE events/s)"
java -cp "$JOB_JAR" io.streamcontrol.generator.GeneratorMain --port "$GENERATOR_PORT" --rate "$RATE" \
  > "$RUN_DIR/logs/generator.out" 2>&1 &
PIDS+=($!)
wait_for_line "$RUN_DIR/logs/generator.out" GENERATOR_READY 30 "${PIDS[-1]}"

echo "==> Submitting the streaming job with spark-submit (log: $RUN_DIR/logs/job.log)"
"$SPARK_HOME/bin/spark-submit" --master 'local[4]' --driver-memory 1g \
  --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 --conf spark.ui.port=4040 \
  --class io.streamcontrol.job.StreamingJob "$JOB_JAR" \
  --job-name "$JOB_NAME" --keyspace "$KEYSPACE" --checkpoint "file://$RUN_DIR/checkpoint" \
  --source-port "$GENERATOR_PORT" --receivers "$RECEIVERS" --cassandra-port "$CASSANDRA_PORT" --batch-interval 5s \
  --top-n-window 5m --top-n-slide 1m > "$RUN_DIR/logs/job.log" 2>&1 &
JOB_PID=$!
wait_for_line "$RUN_DIR/logs/job.log" "running: source" 120 "$JOB_PID"

QUERY="java -cp $JOB_JAR io.streamcontrol.job.tools.CqlQuery 127.0.0.1 $CASSANDRA_PORT"
cat <<INFO

Pipeline running. Spark UI: http://127.0.0.1:4040/streaming/
Look at the rollups (first batch after ~5 s):
  $QUERY "SELECT window_end, rank, key, sale_sum FROM $KEYSPACE.top_n WHERE dimension='product' AND day='$(date -u +%F)' LIMIT 10"
  $QUERY "SELECT * FROM $KEYSPACE.running_totals WHERE dimension='region'"
  $QUERY "SELECT * FROM $KEYSPACE.rejects WHERE day='$(date -u +%F)' LIMIT 5"
Ctrl-C stops the job gracefully, then the generator and Cassandra.
INFO
wait "$JOB_PID" || true
