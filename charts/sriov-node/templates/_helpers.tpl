{{/* The chart's name, or nameOverride. */}}
{{- define "sriov-node.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* The release's full name: fullnameOverride, or release-chart (once when they are equal). */}}
{{- define "sriov-node.fullname" -}}
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

{{- define "sriov-node.selectorLabels" -}}
app.kubernetes.io/name: {{ include "sriov-node.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "sriov-node.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "sriov-node.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/part-of: sriov-node-stack
{{- end -}}

{{- define "sriov-node.serviceAccountName" -}}
{{- default (include "sriov-node.fullname" .) .Values.serviceAccount.name -}}
{{- end -}}

{{- define "sriov-node.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* The daemon's Unix socket for the CNI shim. */}}
{{- define "sriov-node.cniSocket" -}}
{{- printf "%s/cni.sock" (trimSuffix "/" .Values.hostPaths.run) -}}
{{- end -}}
