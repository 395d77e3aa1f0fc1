#!/usr/bin/env bash
# Measures the job's line parser (io.streamcontrol.job.event.LineParser) against the parser before its rewrite
# (ReferenceLineParser, in the test kit) on the generator's CSV and JSON lines: time and allocated bytes per
# line, single-threaded, in this JVM. No Cassandra, no Spark.
# Arguments go to io.streamcontrol.bench.parser.ParserBenchmark (--help lists them). SKIP_BUILD=true skips the build,
# which here builds only the benchmarks module and what it needs (./mvnw -pl benchmarks -am -DskipTests package).
BENCH_BUILD_MODULES=benchmarks source "$(dirname "$0")/bench-env.sh" "$@"

exec java ${BENCH_JAVA_OPTS:--Xmx1g} -cp "$BENCH_CLASSPATH" io.streamcontrol.bench.parser.ParserBenchmark "$@"
