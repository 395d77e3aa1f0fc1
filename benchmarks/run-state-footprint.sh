#!/usr/bin/env bash
# What the job's rollup state holds after each minute of input (keys, open buckets, running totals, top-N slide
# sums, heap after GC), through the job's own Analytics code with its default settings, at a given rate and number
# of products. No Cassandra, no Spark.
# Arguments go to io.streamcontrol.bench.StateFootprint (--help lists them). SKIP_BUILD=true skips the build, which
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

exec java ${BENCH_JAVA_OPTS:--Xmx3g} -cp "$BENCH_CLASSPATH" io.streamcontrol.bench.StateFootprint "$@"
