#!/usr/bin/env bash
# What the job's rollup state holds after each minute of input (keys, open buckets, running totals, top-N slide
# sums, heap after GC), through the job's own Analytics code with its default settings, at a given rate and number
# of products. No Cassandra, no Spark.
# Arguments go to io.streamcontrol.bench.state.StateFootprint (--help lists them). SKIP_BUILD=true skips the build,
# which here builds only the benchmarks module and what it needs (./mvnw -pl benchmarks -am -DskipTests package).
BENCH_BUILD_MODULES=benchmarks source "$(dirname "$0")/bench-env.sh" "$@"

exec java ${BENCH_JAVA_OPTS:--Xmx3g} -cp "$BENCH_CLASSPATH" io.streamcontrol.bench.state.StateFootprint "$@"
