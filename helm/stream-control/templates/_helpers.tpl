{{/*
Helpers of the stream-control chart. Every name here starts with "stream-control.".
*/}}

{{/* Chart name, overridable with nameOverride. */}}
{{- define "stream-control.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Full name of the release's resources (63 characters at most: a DNS label). */}}
{{- define "stream-control.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{/* chart label value: name-version */}}
{{- define "stream-control.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels that select the service's pods. */}}
{{- define "stream-control.selectorLabels" -}}
app.kubernetes.io/name: {{ include "stream-control.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{/* Labels of every resource. */}}
{{- define "stream-control.labels" -}}
helm.sh/chart: {{ include "stream-control.chart" . }}
{{ include "stream-control.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/component: control-service
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* The podAntiAffinity preset: the service's pods on different nodes, preferred (soft) or required (hard). */}}
{{- define "stream-control.podAntiAffinity" -}}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "stream-control.selectorLabels" . | fromYaml)) -}}
podAntiAffinity:
{{- if eq .Values.podAntiAffinity "hard" }}
  requiredDuringSchedulingIgnoredDuringExecution:
    {{- toYaml (list $term) | nindent 4 }}
{{- else }}
  preferredDuringSchedulingIgnoredDuringExecution:
    {{- toYaml (list (dict "weight" 100 "podAffinityTerm" $term)) | nindent 4 }}
{{- end }}
{{- end -}}

{{/* Name of the service account the pod runs as (and the jobs' driver pods, by default). */}}
{{- define "stream-control.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "stream-control.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{/* The image reference: repository@digest, or repository:tag (tag defaults to the appVersion). */}}
{{- define "stream-control.image" -}}
{{- $repository := required "image.repository is required" .Values.image.repository -}}
{{- if .Values.image.digest -}}
{{- printf "%s@%s" $repository .Values.image.digest -}}
{{- else -}}
{{- printf "%s:%s" $repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}
{{- end -}}

{{/* "true" when the default master is k8s://. */}}
{{- define "stream-control.k8sMaster" -}}
{{- if hasPrefix "k8s://" .Values.jobs.spark.master -}}true{{- end -}}
{{- end -}}

{{/* "true" when the default master is local (local, local[N], local[*], local[N,F]). */}}
{{- define "stream-control.localMaster" -}}
{{- if hasPrefix "local" .Values.jobs.spark.master -}}true{{- end -}}
{{- end -}}

{{/* "true" when the Spark on Kubernetes settings, the pod templates and the RBAC are rendered. */}}
{{- define "stream-control.sparkOnKubernetes" -}}
{{- if or (include "stream-control.k8sMaster" .) .Values.jobs.kubernetes.enabled -}}true{{- end -}}
{{- end -}}

{{/* Namespace of the jobs' driver and executor pods. */}}
{{- define "stream-control.sparkNamespace" -}}
{{- default .Release.Namespace .Values.jobs.kubernetes.namespace -}}
{{- end -}}

{{/* Where the service's files live in the pod. */}}
{{- define "stream-control.paths" -}}
config: /etc/stream-control/config
secrets: /etc/stream-control/secrets
cassandraTls: /etc/stream-control/tls/cassandra
sparkTemplates: /etc/stream-control/spark
work: /var/lib/stream-control/jobs
checkpoints: /var/lib/stream-control/checkpoints
{{- end -}}

{{/* The checkpoint base URI the service gets. */}}
{{- define "stream-control.checkpointBase" -}}
{{- $paths := include "stream-control.paths" . | fromYaml -}}
{{- if .Values.jobs.checkpointBase -}}
{{- .Values.jobs.checkpointBase -}}
{{- else -}}
{{- if include "stream-control.k8sMaster" . -}}
{{- fail "jobs.checkpointBase must be a remote URI (s3a://, hdfs://, dsefs://) when jobs.spark.master is k8s://: driver pods cannot reach the service's local volume" -}}
{{- end -}}
{{- printf "file://%s" $paths.checkpoints -}}
{{- end -}}
{{- end -}}

{{/*
Spark settings the service adds to every launch (streamcontrol.jobs.spark-conf), as a YAML map:
networking defaults that follow the default master, the Spark on Kubernetes settings, then jobs.sparkConf over them.
*/}}
{{- define "stream-control.sparkConf" -}}
{{- $paths := include "stream-control.paths" . | fromYaml -}}
{{- /* always one entry: an empty map would let the service's loopback defaults in, wrong for remote drivers */ -}}
{{- $conf := dict "spark.streamcontrol.release" (printf "%s/%s" .Release.Namespace (include "stream-control.fullname" .)) -}}
{{- $k8s := include "stream-control.sparkOnKubernetes" . -}}
{{- $clientMode := eq .Values.jobs.spark.deployMode "client" -}}
{{- if include "stream-control.localMaster" . -}}
{{- if not $k8s -}}
{{- /* local drivers stay on loopback (the service's own default) */ -}}
{{- $_ := set $conf "spark.driver.host" "127.0.0.1" -}}
{{- $_ := set $conf "spark.driver.bindAddress" "127.0.0.1" -}}
{{- end -}}
{{- else if $clientMode -}}
{{- /* a client-mode driver runs in this pod and its executors elsewhere: they reach it at the pod IP */ -}}
{{- $_ := set $conf "spark.driver.host" "${POD_IP}" -}}
{{- $_ := set $conf "spark.driver.bindAddress" "0.0.0.0" -}}
{{- if and (include "stream-control.k8sMaster" .) (eq (include "stream-control.sparkNamespace" .) .Release.Namespace) -}}
{{- /* executors are owned by this pod (same namespace only): they go when it goes */ -}}
{{- $_ := set $conf "spark.kubernetes.driver.pod.name" "${POD_NAME}" -}}
{{- end -}}
{{- end -}}
{{- if $k8s -}}
{{- $_ := set $conf "spark.kubernetes.container.image" (default (include "stream-control.image" .) .Values.jobs.kubernetes.image) -}}
{{- $_ := set $conf "spark.kubernetes.container.image.pullPolicy" .Values.image.pullPolicy -}}
{{- with .Values.imagePullSecrets -}}
{{- $names := list -}}
{{- range . }}{{ $names = append $names .name }}{{ end -}}
{{- $_ := set $conf "spark.kubernetes.container.image.pullSecrets" (join "," $names) -}}
{{- end -}}
{{- $_ := set $conf "spark.kubernetes.namespace" (include "stream-control.sparkNamespace" .) -}}
{{- $_ := set $conf "spark.kubernetes.authenticate.driver.serviceAccountName" (default (include "stream-control.serviceAccountName" .) .Values.jobs.kubernetes.driverServiceAccount) -}}
{{- /* spark-submit talks to the API server with the pod's own service account */ -}}
{{- $_ := set $conf "spark.kubernetes.authenticate.submission.caCertFile" "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" -}}
{{- $_ := set $conf "spark.kubernetes.authenticate.submission.oauthTokenFile" "/var/run/secrets/kubernetes.io/serviceaccount/token" -}}
{{- $_ := set $conf "spark.kubernetes.driver.label.app.kubernetes.io/part-of" (include "stream-control.fullname" .) -}}
{{- $_ := set $conf "spark.kubernetes.executor.label.app.kubernetes.io/part-of" (include "stream-control.fullname" .) -}}
{{- if .Values.jobs.kubernetes.driverPodTemplate -}}
{{- $_ := set $conf "spark.kubernetes.driver.podTemplateFile" (printf "%s/driver-pod-template.yaml" $paths.sparkTemplates) -}}
{{- end -}}
{{- if .Values.jobs.kubernetes.executorPodTemplate -}}
{{- $_ := set $conf "spark.kubernetes.executor.podTemplateFile" (printf "%s/executor-pod-template.yaml" $paths.sparkTemplates) -}}
{{- end -}}
{{- end -}}
{{- range $key, $value := .Values.jobs.sparkConf -}}
{{- $_ := set $conf $key (toString $value) -}}
{{- end -}}
{{- /* Spring keeps a map key exactly as written only in brackets */ -}}
{{- $bracketed := dict -}}
{{- range $key, $value := $conf -}}
{{- $_ := set $bracketed (printf "[%s]" $key) $value -}}
{{- end -}}
{{- toYaml $bracketed -}}
{{- end -}}

{{/* The service's application.yaml, generated from the values, then extraConfig merged over it. */}}
{{- define "stream-control.applicationConfig" -}}
{{- $paths := include "stream-control.paths" . | fromYaml -}}
{{- $v := .Values -}}
{{- $cassandra := dict
      "contact-points" $v.cassandra.contactPoints
      "local-datacenter" $v.cassandra.localDatacenter
      "request" (dict "consistency" $v.cassandra.consistency "serial-consistency" $v.cassandra.serialConsistency "timeout" $v.cassandra.requestTimeout) -}}
{{- $spring := dict "cassandra" $cassandra -}}
{{- if $v.cassandra.tls.enabled -}}
{{- $_ := set $cassandra "ssl" (dict "enabled" true "bundle" "cassandra") -}}
{{- $location := printf "file:%s/%s" $paths.cassandraTls $v.cassandra.tls.truststoreKey -}}
{{- if eq $v.cassandra.tls.truststoreType "PEM" -}}
{{- $_ := set $spring "ssl" (dict "bundle" (dict "pem" (dict "cassandra" (dict "truststore" (dict "certificate" $location))))) -}}
{{- else -}}
{{- $_ := set $spring "ssl" (dict "bundle" (dict "jks" (dict "cassandra" (dict "truststore" (dict "location" $location "type" $v.cassandra.tls.truststoreType))))) -}}
{{- end -}}
{{- end -}}
{{- if $v.auth.existingSecret -}}
{{- /* not optional: the Secret is mounted, a missing file is a mistake to see at once */ -}}
{{- $_ := set $spring "config" (dict "import" (printf "file:%s/%s" $paths.secrets $v.auth.securityKey)) -}}
{{- end -}}
{{- if or $v.auth.jwt.issuerUri $v.auth.jwt.jwkSetUri -}}
{{- $jwt := dict -}}
{{- with $v.auth.jwt.issuerUri }}{{ $_ := set $jwt "issuer-uri" . }}{{ end -}}
{{- with $v.auth.jwt.jwkSetUri }}{{ $_ := set $jwt "jwk-set-uri" . }}{{ end -}}
{{- $_ := set $spring "security" (dict "oauth2" (dict "resourceserver" (dict "jwt" $jwt))) -}}
{{- end -}}
{{- $replication := $v.cassandra.controlReplication | default (printf "{'class': 'NetworkTopologyStrategy', '%s': 3}" $v.cassandra.localDatacenter) -}}
{{- $jobReplication := $v.cassandra.jobReplication | default (printf "%s:3" $v.cassandra.localDatacenter) -}}
{{- $spark := $v.jobs.spark -}}
{{- $jobs := dict
      "checkpoint-base" (include "stream-control.checkpointBase" .)
      "work-directory" $paths.work
      "reconcile-interval" $v.jobs.reconcileInterval
      "stop-timeout" $v.jobs.stopTimeout
      "start-timeout" $v.jobs.startTimeout
      "heartbeat-timeout" $v.jobs.heartbeatTimeout
      "standby" (dict "enabled" $v.jobs.standby.enabled "idle-timeout" $v.jobs.standby.idleTimeout)
      "spark" (dict "master" $spark.master "deploy-mode" $spark.deployMode "driver-memory" $spark.driverMemory "driver-cores" $spark.driverCores "executor-memory" $spark.executorMemory "executor-cores" $spark.executorCores)
      "restart-policy" (dict "max-attempts" $v.jobs.restartPolicy.maxAttempts "backoff" $v.jobs.restartPolicy.backoff "max-backoff" $v.jobs.restartPolicy.maxBackoff "reset-after" $v.jobs.restartPolicy.resetAfter)
      "spark-conf" (include "stream-control.sparkConf" . | fromYaml) -}}
{{- with $v.jobs.allowedSparkConf -}}
{{- $_ := set $jobs "allowed-spark-conf" . -}}
{{- end -}}
{{- $sparkLocalIp := ternary "127.0.0.1" "${POD_IP}" (eq (include "stream-control.localMaster" .) "true") -}}
{{- $streamcontrol := dict
      "cassandra" (dict "control-keyspace" $v.cassandra.controlKeyspace "control-replication" $replication "job-replication" $jobReplication)
      "jobs" $jobs
      "spark" (dict "environment" (dict "[SPARK_LOCAL_IP]" $sparkLocalIp))
      "metrics" (dict "poll-interval" $v.metrics.pollInterval)
      "leader" (dict "lease-duration" $v.leader.leaseDuration "renew-interval" $v.leader.renewInterval) -}}
{{- with $v.auth.jwt.rolesClaim -}}
{{- $_ := set $streamcontrol "security" (dict "jwt" (dict "roles-claim" .)) -}}
{{- end -}}
{{- $config := dict "spring" $spring "streamcontrol" $streamcontrol -}}
{{- toYaml (mergeOverwrite $config (deepCopy $v.extraConfig)) -}}
{{- end -}}

{{/*
Cookie affinity of ingress-nginx for the console's sessions (a session lives in one replica); the Ingress's own
annotations win over these. Other controllers ignore them.
*/}}
{{- define "stream-control.stickySessionAnnotations" -}}
nginx.ingress.kubernetes.io/affinity: cookie
nginx.ingress.kubernetes.io/affinity-mode: persistent
nginx.ingress.kubernetes.io/session-cookie-name: {{ include "stream-control.fullname" . }}-replica
nginx.ingress.kubernetes.io/session-cookie-samesite: Lax
{{- end -}}
