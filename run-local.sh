#!/usr/bin/env bash
# Builds and runs the whole pipeline on this machine: the control service (which starts a real single-node Cassandra
# in its own JVM unless CASSANDRA_CONTACT_POINTS is set), the event generator, and a demo job created and started
# through the service's REST API (Spark local mode, launched with SparkLauncher). Ctrl-C stops everything it started
# (the job gracefully; Ctrl-C again kills it instead of waiting). MAVEN_ARGS (read by Maven itself) reaches the build,
# e.g. MAVEN_ARGS=-Dmaven.repo.local=/tmp/empty-m2 for a build with an empty cache, as on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")"
ROOT="$PWD"
export JAVA_HOME="${JAVA_HOME_17:-/usr/lib/jvm/java-17-openjdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
export SPARK_LOCAL_IP=127.0.0.1

RUN_DIR="${RUN_DIR:-$ROOT/.local-run}"
SERVICE_PORT="${SERVICE_PORT:-8080}"
CASSANDRA_PORT="${CASSANDRA_PORT:-9042}"
GENERATOR_PORT="${GENERATOR_PORT:-9999}"
RATE="${RATE:-2000}"
RECEIVERS="${RECEIVERS:-2}"
JOB_NAME="${JOB_NAME:-demo}"
KEYSPACE="${KEYSPACE:-sales}"
API="http://127.0.0.1:$SERVICE_PORT"
# The demo's callers, with passwords generated for this run (the service has no default user): an operator, who may
# run jobs, and a viewer, who may read. Production reads users from a secret (see helm/).
OPERATOR_PASSWORD="${OPERATOR_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}"
VIEWER_PASSWORD="${VIEWER_PASSWORD:-$(head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')}"
export STREAMCONTROL_SECURITY_USERS_0_NAME=operator STREAMCONTROL_SECURITY_USERS_0_ROLE=operator
export STREAMCONTROL_SECURITY_USERS_0_PASSWORD="{noop}$OPERATOR_PASSWORD"
export STREAMCONTROL_SECURITY_USERS_1_NAME=viewer STREAMCONTROL_SECURITY_USERS_1_ROLE=viewer
export STREAMCONTROL_SECURITY_USERS_1_PASSWORD="{noop}$VIEWER_PASSWORD"
CURL=(curl -s -u "operator:$OPERATOR_PASSWORD")
CONSOLE="$API/console/"
STARTED=$SECONDS
step() { echo "==> [$((SECONDS - STARTED)) s] $*"; }

echo "stream-control: the console will be at $CONSOLE"
mkdir -p "$RUN_DIR/logs"
if [ "${SKIP_BUILD:-false}" != true ]; then
  step "Building the modules (the first run downloads Maven and the dependencies from Maven Central: minutes)"
  # one line per module as the reactor reaches it, and the build's outcome (with its errors when it fails)
  ./mvnw -B -ntp -DskipTests package 2>&1 | tee "$RUN_DIR/logs/build.log" | awk '
    /^\[INFO\] Building .*\[[0-9]+\/[0-9]+\]/ { sub(/^\[INFO\] Building /, ""); printf "    building %s\n", $0; fflush() }
    /BUILD (SUCCESS|FAILURE)/ { failed = /FAILURE/; sub(/^\[[A-Z]+\] /, ""); printf "    %s\n", $0; fflush() }
    failed && /^\[ERROR\]/ { print; fflush() }'
  echo "    (full build output: $RUN_DIR/logs/build.log)"
fi
JOB_JAR=$(ls "$ROOT"/streaming-job/target/streaming-job-*-job.jar | head -1)
GENERATOR_JAR=$(ls "$ROOT"/event-generator/target/event-generator-*-app.jar | head -1)
SERVICE_JAR=$(ls "$ROOT"/control-service/target/control-service-*.jar | grep -v original | head -1)

PIDS=()
SERVICE_PID=""
CLEANED=false
HURRY=false
job_state() { "${CURL[@]}" --max-time 5 "$API/api/jobs/$JOB_NAME" | grep -o '"state":"[A-Z]*"' | head -1 | cut -d'"' -f4 || true; }
# waits up to $1 seconds while the job has a driver (or until Ctrl-C again). These functions run in the signal traps,
# where a bare 'return' would return the interrupted 'wait' status (130, 143) and end the script under set -e.
await_no_driver() {
  for _ in $(seq 1 "$1"); do
    if "$HURRY"; then echo "    (Ctrl-C again: not waiting any longer)"; return 0; fi
    state=$(job_state)
    # a second Ctrl-C reaches this sleep (the terminal signals the whole foreground group); the trap's own handler
    # would run only once the cleanup is over
    case "$state" in STOPPING|RUNNING|STARTING|SUBMITTED|RESTARTING) sleep 1 || HURRY=true ;; *) return 0 ;; esac
  done
}
stop_pid() {
  local pid=$1
  kill -0 "$pid" 2>/dev/null || return 0
  echo "==> Stopping pid $pid ($(ps -o comm= -p "$pid" 2>/dev/null || echo '?'))"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
}
this_runs_processes() {
  local group
  group=$(ps -o pgid= -p $$ | tr -d ' ')
  ps -eo pid=,pgid=,args= | RUN_MARK="$RUN_DIR/" GROUP="$group" SELF=$$ awk '
    length(ENVIRON["RUN_MARK"]) > 1 && $2 == ENVIRON["GROUP"] && $1 != ENVIRON["SELF"] \
      && index($0, ENVIRON["RUN_MARK"]) { print $1 }'
}
cleanup() {
  "$CLEANED" && return 0
  CLEANED=true
  trap ':' INT
  echo
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    echo "==> Stopping job $JOB_NAME gracefully through the API (Ctrl-C again to kill it instead)"
    "${CURL[@]}" --max-time 10 -o /dev/null -X POST "$API/api/jobs/$JOB_NAME/stop?timeout=60s" || true
    state=""
    await_no_driver 90
    case "$state" in STOPPING|RUNNING|STARTING|SUBMITTED|RESTARTING)
      echo "==> Killing job $JOB_NAME through the API (it was still $state)"
      "${CURL[@]}" --max-time 10 -o /dev/null -X POST "$API/api/jobs/$JOB_NAME/kill" || true
      HURRY=false
      await_no_driver 15 ;;
    esac
    echo "    job: ${state:-unknown}"
    PIDS+=("$SERVICE_PID")
  fi
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do stop_pid "${PIDS[$i]}"; done
  # The service leaves running a driver it launched when it exits (by design: a restarted service re-attaches to it),
  # and its Cassandra too if it was killed; this run's are this script's: in its process group, with $RUN_DIR in
  # their command line.
  for pid in $(this_runs_processes); do stop_pid "$pid"; done
  echo "==> Stopped. Data and logs stay in $RUN_DIR"
}
trap 'cleanup; exit 130' INT
trap 'cleanup; exit 143' TERM
trap cleanup EXIT

wait_for() { # description seconds pid command...
  local what=$1 seconds=$2 pid=$3 i; shift 3
  for i in $(seq 1 $((seconds * 2))); do
    "$@" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { echo "process $pid died while waiting for $what" >&2; return 1; }
    [ $((i % 20)) -eq 0 ] && echo "    still waiting for $what ($((i / 2)) s)"
    sleep 0.5
  done
  echo "timed out waiting for $what" >&2; return 1
}

step "Starting the event generator on 127.0.0.1:$GENERATOR_PORT ($RATE events/s)"
java -jar "$GENERATOR_JAR" --port "$GENERATOR_PORT" --rate "$RATE" \
  > "$RUN_DIR/logs/generator.out" 2>&1 &
PIDS+=($!)
wait_for "the generator" 30 "${PIDS[-1]}" grep -q GENERATOR_READY "$RUN_DIR/logs/generator.out"

SERVICE_ARGS=(--server.port="$SERVICE_PORT"
  --streamcontrol.spark.home="$ROOT/spark-home/target/spark-home" --streamcontrol.spark.job-jar="$JOB_JAR"
  --streamcontrol.jobs.work-directory="$RUN_DIR/jobs"
  --streamcontrol.jobs.checkpoint-base="file://$RUN_DIR/checkpoints")
if [ -n "${CASSANDRA_CONTACT_POINTS:-}" ]; then
  step "Starting the control service on $API (Cassandra at $CASSANDRA_CONTACT_POINTS)"
  SERVICE_ARGS+=(--spring.cassandra.contact-points="$CASSANDRA_CONTACT_POINTS"
    --spring.cassandra.local-datacenter="${CASSANDRA_LOCAL_DC:-datacenter1}")
else
  step "Starting the control service on $API with an embedded Cassandra on 127.0.0.1:$CASSANDRA_PORT"
  SERVICE_ARGS+=(--streamcontrol.cassandra.embedded=true --streamcontrol.cassandra.embedded-port="$CASSANDRA_PORT"
    --streamcontrol.cassandra.embedded-directory="$RUN_DIR/cassandra")
fi
java -Xmx256m -jar "$SERVICE_JAR" "${SERVICE_ARGS[@]}" > "$RUN_DIR/logs/service.log" 2>&1 &
SERVICE_PID=$!
wait_for "the control service and its Cassandra (log: $RUN_DIR/logs/service.log)" 240 "$SERVICE_PID" \
  curl -sf "$API/actuator/health"
step "Console ready: $CONSOLE  (sign in as operator / $OPERATOR_PASSWORD or viewer / $VIEWER_PASSWORD)"

step "Creating and starting job $JOB_NAME through the REST API"
"${CURL[@]}" -o /dev/null -w "    create: HTTP %{http_code}\n" -X POST "$API/api/jobs" -H 'Content-Type: application/json' \
  -H "Idempotency-Key: run-local-create-$JOB_NAME" -d @- <<JSON
{"name": "$JOB_NAME",
 "settings": {"sourcePort": $GENERATOR_PORT, "receivers": $RECEIVERS, "batchInterval": "5s", "keyspace": "$KEYSPACE",
              "topNWindow": "5m", "topNSlide": "1m"},
 "spark": {"master": "local[4]", "driverMemory": "1g"}}
JSON
"${CURL[@]}" -o /dev/null -w "    start: HTTP %{http_code}\n" -X POST "$API/api/jobs/$JOB_NAME/start"
wait_for "job $JOB_NAME to run: Spark starts its driver (log: $RUN_DIR/jobs/$JOB_NAME/)" 120 "$SERVICE_PID" \
  sh -c "curl -s -u 'operator:$OPERATOR_PASSWORD' '$API/api/jobs/$JOB_NAME' | grep -q '\"state\":\"RUNNING\"'"
SPARK_UI=$("${CURL[@]}" "$API/api/jobs/$JOB_NAME" | grep -o '"driverUiUrl":"[^"]*"' | cut -d'"' -f4)

QUERY="java -cp $JOB_JAR io.streamcontrol.job.tools.CqlQuery 127.0.0.1 $CASSANDRA_PORT"
cat <<INFO

Pipeline running ($((SECONDS - STARTED)) s after the start).
  Console           $CONSOLE
  Credentials       operator / $OPERATOR_PASSWORD (runs jobs)    viewer / $VIEWER_PASSWORD (reads)
  Swagger UI        $API/swagger-ui/index.html   (Authorize with one of them, then "Try it out")
  The job           $API/api/jobs/$JOB_NAME
  Batch metrics     $API/api/jobs/$JOB_NAME/metrics
  Prometheus        $API/actuator/prometheus
  Spark UI          ${SPARK_UI:-"(not yet known)"}/streaming/
Rollups to look at (first batch after ~5 s):
  curl -u viewer:$VIEWER_PASSWORD '$API/api/jobs/$JOB_NAME/totals/region'
  curl -u viewer:$VIEWER_PASSWORD '$API/api/jobs/$JOB_NAME/top/product?windows=3'
  curl -u viewer:$VIEWER_PASSWORD '$API/api/jobs/$JOB_NAME/rollups/region/R1?granularity=minute'
  $QUERY "SELECT key, event_count, sale_sum FROM $KEYSPACE.running_totals WHERE dimension='region'"
Ctrl-C stops the job gracefully, then the service (and its Cassandra) and the generator.
INFO
wait "$SERVICE_PID" || true
