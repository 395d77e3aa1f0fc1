#!/usr/bin/env bash
# One image, three roles:
#   (no arguments, or arguments starting with "-")  the control service: java -jar control-service.jar [args]
#   driver ...    a Spark driver pod started by spark-submit on Kubernetes (cluster deploy mode)
#   executor      a Spark executor pod
#   anything else is run as given (e.g. "bash")
# The driver and executor branches follow the contract of Spark's own Kubernetes entrypoint: Spark sets
# SPARK_DRIVER_BIND_ADDRESS, SPARK_EXECUTOR_* and SPARK_JAVA_OPT_* in the pods it creates.
set -eo pipefail

case "${1:-}" in
  driver)
    shift 1
    # spark-class binds to SPARK_LOCAL_IP (127.0.0.1 by default): in a driver pod the driver, its UI (read by the
    # service's metrics poller) and its block manager must listen on the pod IP.
    export SPARK_LOCAL_IP="${SPARK_DRIVER_BIND_ADDRESS}"
    exec "${SPARK_HOME}/bin/spark-submit" \
      --conf "spark.driver.bindAddress=${SPARK_DRIVER_BIND_ADDRESS}" \
      --conf "spark.executorEnv.SPARK_DRIVER_POD_IP=${SPARK_DRIVER_BIND_ADDRESS}" \
      --deploy-mode client \
      "$@"
    ;;
  executor)
    shift 1
    SPARK_EXECUTOR_JAVA_OPTS=()
    for v in $(compgen -v SPARK_JAVA_OPT_ | sort -t_ -k4 -n); do
      SPARK_EXECUTOR_JAVA_OPTS+=("${!v}")
    done
    SPARK_CLASSPATH="${SPARK_CONF_DIR:-${SPARK_HOME}/conf}:${SPARK_CLASSPATH:+${SPARK_CLASSPATH}:}${SPARK_HOME}/jars/*"
    if [ -n "${SPARK_EXTRA_CLASSPATH:-}" ]; then SPARK_CLASSPATH="${SPARK_CLASSPATH}:${SPARK_EXTRA_CLASSPATH}"; fi
    SPARK_CLASSPATH="${SPARK_CLASSPATH}:${PWD}"
    exec "${JAVA_HOME}/bin/java" \
      "${SPARK_EXECUTOR_JAVA_OPTS[@]}" \
      -Xms"${SPARK_EXECUTOR_MEMORY}" -Xmx"${SPARK_EXECUTOR_MEMORY}" \
      -cp "${SPARK_CLASSPATH}" \
      org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend \
      --driver-url "${SPARK_DRIVER_URL}" \
      --executor-id "${SPARK_EXECUTOR_ID}" \
      --cores "${SPARK_EXECUTOR_CORES}" \
      --app-id "${SPARK_APPLICATION_ID}" \
      --hostname "${SPARK_EXECUTOR_POD_IP}" \
      --resourceProfileId "${SPARK_RESOURCE_PROFILE_ID}" \
      --podName "${SPARK_EXECUTOR_POD_NAME}"
    ;;
  "" | -*)
    # SERVICE_JAVA_OPTS, not JAVA_TOOL_OPTIONS, sizes the heap: every JVM of the container reads JAVA_TOOL_OPTIONS,
    # including spark-submit and local drivers, which must not each claim half of the container's memory.
    # shellcheck disable=SC2086
    exec "${JAVA_HOME}/bin/java" ${SERVICE_JAVA_OPTS} -jar /opt/stream-control/control-service.jar "$@"
    ;;
  *)
    exec "$@"
    ;;
esac
