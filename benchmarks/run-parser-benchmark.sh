#!/usr/bin/env bash
# Measures the job's line parser (io.streamcontrol.job.event.LineParser) against the parser before its rewrite
# (ReferenceLineParser, in the job's test-jar) on the generator's CSV and JSON lines: time and allocated bytes per
# line, single-threaded, in this JVM. No Cassandra, no Spark.
# Arguments go to io.streamcontrol.bench.ParserBenchmark (--help lists them). SKIP_BUILD=true skips the build, which
# here builds only the benchmarks module and what it needs (./mvnw -pl benchmarks -am -DskipTests package).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
for arg in "$@"; do
  if [ "$arg" = --help ] || [ "$arg" = -h ]; then SKIP_BUILD=true; fi
done
if [ "${SKIP_BUILD:-false}" != true ]; then
  echo "==> Building (./mvnw -B -q -ntp -pl benchmarks -am -DskipTests package)" >&2
  (cd "$ROOT" && JAVA_HOME="${JAVA_HOME_17:-/usr/lib/jvm/java-17-openjdk-amd64}" \
    ./mvnw -B -q -ntp -pl benchmarks -am -DskipTests package)
fi
SKIP_BUILD=true source "$(dirname "$0")/bench-env.sh"

exec java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "$BENCH_CLASSPATH" io.streamcontrol.bench.ParserBenchmark "$@"
