#!/usr/bin/env bash
# The README's test command, and CI's (.ci/run calls it): installs what the tests need that a fresh machine lacks,
# then builds and runs every test with JDK 17 pinned (JDK 25 breaks Cassandra 5.0 and Spark 3.5). Extra arguments go
# to Maven, e.g. ./verify.sh -pl control-service -am -Dit.test=ConsoleIT.
set -euo pipefail
cd "$(dirname "$0")"

JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
# Debian packages: JDK 17; headless Chromium and its driver (the Swagger UI and console browser tests); promtool, in
# prometheus (the chart's alert rules and the service's metrics output).
missing=()
[ -x "$JAVA_HOME/bin/javac" ] || missing+=(openjdk-17-jdk-headless)
command -v chromium >/dev/null || missing+=(chromium)
command -v chromedriver >/dev/null || missing+=(chromium-driver)
command -v promtool >/dev/null || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> Installing ${missing[*]} (Debian packages the tests need)"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install: ${missing[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

export JAVA_HOME
export PATH="$JAVA_HOME/bin:$PATH"
java -version 2>&1 | head -1
exec ./mvnw -B -ntp verify "$@"
