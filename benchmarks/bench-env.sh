# Sourced by the run-*-benchmark.sh scripts with their arguments: pins JDK 17 (JDK 25 breaks Cassandra 5.0 and
# Spark 3.5), keeps Spark on loopback, builds unless SKIP_BUILD=true (or --help is asked for), and names what the
# build made.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export JAVA_HOME="${JAVA_HOME_17:-/usr/lib/jvm/java-17-openjdk-amd64}"
export PATH="$JAVA_HOME/bin:$PATH"
export SPARK_LOCAL_IP=127.0.0.1

for arg in "$@"; do
  if [ "$arg" = --help ] || [ "$arg" = -h ]; then SKIP_BUILD=true; fi
done

# BENCH_BUILD_MODULES=benchmarks: build only those modules and what they need (a benchmark without the service)
if [ "${SKIP_BUILD:-false}" != true ]; then
  MODULES=()
  if [ -n "${BENCH_BUILD_MODULES:-}" ]; then MODULES=(-pl "$BENCH_BUILD_MODULES" -am); fi
  echo "==> Building (./mvnw -B -q -ntp ${MODULES[*]} -DskipTests package)" >&2
  (cd "$ROOT" && ./mvnw -B -q -ntp "${MODULES[@]}" -DskipTests package)
fi

SPARK_HOME_DIR="$ROOT/spark-home/target/spark-home"
CLASSPATH_FILE="$ROOT/benchmarks/target/classpath.txt"
BENCH_CLASSPATH="$ROOT/benchmarks/target/classes:$(cat "$CLASSPATH_FILE" 2>/dev/null || true)"
JOB_JAR="${JOB_JAR:-$(ls "$ROOT"/streaming-job/target/streaming-job-*-job.jar 2>/dev/null | head -1 || true)}" # JOB_JAR=: another build of the job
SERVICE_JAR=$(ls "$ROOT"/control-service/target/control-service-*.jar 2>/dev/null | head -1 || true)

# Fails unless every argument names an existing file or directory.
require_built() {
  for built in "$@"; do
    if [ -z "$built" ] || [ ! -e "$built" ]; then
      echo "Not built yet: run without SKIP_BUILD=true" >&2
      exit 1
    fi
  done
}
require_built "$CLASSPATH_FILE" "$JOB_JAR"
