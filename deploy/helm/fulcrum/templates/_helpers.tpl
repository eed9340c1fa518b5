{{- define "fulcrum.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "fulcrum.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "fulcrum.selectorLabels" -}}
app.kubernetes.io/name: {{ .root.Chart.Name }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "fulcrum.image" -}}
{{ printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) }}
{{- end -}}

{{- define "fulcrum.secretName" -}}
{{- default (printf "%s-secrets" (include "fulcrum.fullname" .)) .Values.existingSecret -}}
{{- end -}}

{{/* The environment every Fulcrum process reads (config/index.ts). */}}
{{- define "fulcrum.env" -}}
- name: DATABASE_URL
  valueFrom: { secretKeyRef: { name: {{ include "fulcrum.secretName" . }}, key: DATABASE_URL } }
- name: DATABASE_SSL
  value: {{ .Values.database.ssl | quote }}
{{- if .Values.database.caSecret }}
- name: DATABASE_SSL_CA
  value: /etc/fulcrum/postgres-ca/ca.crt
{{- end }}
- name: FULCRUM_METRICS_TOKEN
  valueFrom: { secretKeyRef: { name: {{ include "fulcrum.secretName" . }}, key: FULCRUM_METRICS_TOKEN, optional: true } }
- name: TEMPORAL_ADDRESS
  value: {{ .Values.temporal.address | quote }}
- name: TEMPORAL_NAMESPACE
  value: {{ .Values.temporal.namespace | quote }}
- name: FULCRUM_TASK_QUEUE
  value: {{ .Values.temporal.taskQueue | quote }}
- name: FULCRUM_SEARCH_ATTRIBUTES
  value: {{ .Values.temporal.searchAttributes | quote }}
{{- if .Values.temporal.tls.enabled }}
- name: TEMPORAL_TLS
  value: "true"
{{- if .Values.temporal.tls.serverName }}
- name: TEMPORAL_TLS_SERVER_NAME
  value: {{ .Values.temporal.tls.serverName | quote }}
{{- end }}
{{- if .Values.temporal.tls.mtlsSecret }}
- name: TEMPORAL_TLS_CERT
  value: /etc/fulcrum/temporal-tls/tls.crt
- name: TEMPORAL_TLS_KEY
  value: /etc/fulcrum/temporal-tls/tls.key
{{- end }}
{{- end }}
- name: TEMPORAL_API_KEY
  valueFrom: { secretKeyRef: { name: {{ include "fulcrum.secretName" . }}, key: TEMPORAL_API_KEY, optional: true } }
- name: FULCRUM_PAYLOAD_KEYS
  valueFrom: { secretKeyRef: { name: {{ include "fulcrum.secretName" . }}, key: FULCRUM_PAYLOAD_KEYS } }
- name: LOG_LEVEL
  value: {{ .Values.config.logLevel | quote }}
- name: FULCRUM_BUSINESS_TIMEZONE
  value: {{ .Values.config.businessTimezone | quote }}
{{- if .Values.config.otlpEndpoint }}
- name: OTEL_EXPORTER_OTLP_ENDPOINT
  value: {{ .Values.config.otlpEndpoint | quote }}
{{- end }}
- name: FULCRUM_CARRIER_GATEWAY
  value: {{ .Values.carriers.gateway | quote }}
{{- with .Values.carriers.byMarket }}
- name: FULCRUM_CARRIER_GATEWAY_BY_MARKET
  value: {{ . | quote }}
{{- end }}
{{- if or .Values.carriers.karrioUrl .Values.karrio.enabled }}
- name: KARRIO_URL
  value: {{ default (printf "http://%s-karrio:%v" (include "fulcrum.fullname" .) .Values.karrio.port) .Values.carriers.karrioUrl | quote }}
{{- end }}
- name: FULCRUM_KARRIO_TIMEOUT_MS
  value: {{ .Values.carriers.karrioTimeoutMs | quote }}
- name: KARRIO_API_KEY
  valueFrom: { secretKeyRef: { name: {{ include "fulcrum.secretName" . }}, key: KARRIO_API_KEY, optional: true } }
- name: FULCRUM_KARRIO_WEBHOOK_SECRET
  valueFrom: { secretKeyRef: { name: {{ include "fulcrum.secretName" . }}, key: FULCRUM_KARRIO_WEBHOOK_SECRET, optional: true } }
- name: FULCRUM_PAYMENT_PROVIDER
  value: {{ .Values.payments.provider | quote }}
{{- with .Values.payments.byChannel }}
- name: FULCRUM_PAYMENT_PROVIDER_BY_CHANNEL
  value: {{ . | quote }}
{{- end }}
- name: FULCRUM_STRIPE_MULTICAPTURE
  value: {{ .Values.payments.stripeMulticapture | quote }}
- name: STRIPE_SECRET_KEY
  valueFrom: { secretKeyRef: { name: {{ include "fulcrum.secretName" . }}, key: STRIPE_SECRET_KEY, optional: true } }
- name: STRIPE_WEBHOOK_SECRET
  valueFrom: { secretKeyRef: { name: {{ include "fulcrum.secretName" . }}, key: STRIPE_WEBHOOK_SECRET, optional: true } }
- name: FULCRUM_SMTP_URL
  valueFrom: { secretKeyRef: { name: {{ include "fulcrum.secretName" . }}, key: FULCRUM_SMTP_URL, optional: true } }
- name: FULCRUM_MAIL_FROM
  value: {{ .Values.messages.from | quote }}
{{- with .Values.messages.trackingUrls }}
- name: FULCRUM_TRACKING_URLS
  value: {{ . | quote }}
{{- end }}
{{- range $name, $value := .Values.config.extraEnv }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end -}}

{{/* Volumes for the CA and client certificates named in values, and a writable /tmp. */}}
{{- define "fulcrum.volumes" -}}
- name: tmp
  emptyDir: {}
{{- if .Values.database.caSecret }}
- name: postgres-ca
  secret: { secretName: {{ .Values.database.caSecret }} }
{{- end }}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.mtlsSecret }}
- name: temporal-tls
  secret: { secretName: {{ .Values.temporal.tls.mtlsSecret }} }
{{- end }}
{{- end -}}

{{- define "fulcrum.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
{{- if .Values.database.caSecret }}
- name: postgres-ca
  mountPath: /etc/fulcrum/postgres-ca
  readOnly: true
{{- end }}
{{- if and .Values.temporal.tls.enabled .Values.temporal.tls.mtlsSecret }}
- name: temporal-tls
  mountPath: /etc/fulcrum/temporal-tls
  readOnly: true
{{- end }}
{{- end -}}
