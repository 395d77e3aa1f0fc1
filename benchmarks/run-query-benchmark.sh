#!/usr/bin/env bash
# Measures the control service's rollup query API under load while the job ingests: wrk (a second process) on loopback
# sends a mix of the analytics queries paced at a fixed rate (p50/p99, achieved rate, non-2xx) and unpaced (capacity);
# then the answer of one REST query is computed the batch way (Spark SQL over the raw table, cold and warm), compared
# bucket by bucket, and the times are set side by side.
# Starts its own Cassandra, generator and service (which launches the driver); stops them all, also on Ctrl-C.
# Arguments go to io.streamcontrol.bench.query.QueryBenchmark (--help lists them). SKIP_BUILD=true skips the build.
# Results go to benchmarks/target/query-bench-results unless --out says otherwise.
source "$(dirname "$0")/bench-env.sh"
require_built "$SERVICE_JAR" "$SPARK_HOME_DIR/jars"
if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is not installed (Debian: apt-get install wrk)" >&2
  exit 1
fi

# Spark runs in this JVM for the batch query: its jars come from the assembled SPARK_HOME, and Java 17 needs the
# module flags Spark's own launcher adds (org.apache.spark.launcher.JavaModuleOptions).
SPARK_JAVA17_FLAGS="-XX:+IgnoreUnrecognizedVMOptions
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED
  --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
  --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false"

# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx1g} $SPARK_JAVA17_FLAGS \
  -Dspark.home="$SPARK_HOME_DIR" \
  -Djob.jar="$JOB_JAR" \
  -Dservice.jar="$SERVICE_JAR" \
  -cp "$BENCH_CLASSPATH:$SPARK_HOME_DIR/jars/*" \
  io.streamcontrol.bench.query.QueryBenchmark --out "$ROOT/benchmarks/target/query-bench-results" "$@"
