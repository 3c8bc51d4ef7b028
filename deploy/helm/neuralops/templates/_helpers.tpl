{{/*
Objects are named after the release: <release>-web, <release>-worker, <release>-gateway, <release>-config,
<release>-env (the Secret, unless existingSecret names yours).
*/}}

{{- define "neuralops.labels" -}}
app.kubernetes.io/name: neuralops
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{- define "neuralops.image" -}}
{{ printf "%s:%s" .Values.image.repository (.Values.image.tag | default .Chart.AppVersion) }}
{{- end }}

{{- define "neuralops.secretName" -}}
{{ .Values.existingSecret | default (printf "%s-env" .Release.Name) }}
{{- end }}

{{/*
The environment every process shares: the ConfigMap, the Secret, then extraEnvFrom (later sources win).
*/}}
{{- define "neuralops.envFrom" -}}
- configMapRef:
    name: {{ .Release.Name }}-config
- secretRef:
    name: {{ include "neuralops.secretName" . }}
{{- if .Values.extraEnvFrom }}
{{ toYaml .Values.extraEnvFrom }}
{{- end }}
{{- end }}

{{/*
Pod annotations that change when the configuration does, so `helm upgrade` with new settings restarts pods.
An existingSecret is not hashed (the chart cannot see it): restart the Deployments after changing it.
*/}}
{{- define "neuralops.checksums" -}}
checksum/config: {{ include "neuralops.configData" . | sha256sum }}
checksum/secret: {{ toYaml (index .Values "secrets") | sha256sum }}
{{- end }}

{{- define "neuralops.configData" -}}
NODE_ENV: production
NEXTAUTH_URL: {{ required "publicUrl is required: the URL users browse to, e.g. https://neuralops.example.com" .Values.publicUrl | quote }}
{{- if .Values.config }}
{{ toYaml .Values.config }}
{{- end }}
{{- end }}

{{/*
The locked-down container: not root (the image's user 1000), no privilege escalation, no capabilities, a
read-only root filesystem with writable /tmp (tsx's compile cache), .next/cache and the export directory.
*/}}
{{- define "neuralops.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
runAsUser: 1000
runAsGroup: 1000
capabilities:
  drop: ["ALL"]
{{- end }}

{{- define "neuralops.volumeMounts" -}}
- name: tmp
  mountPath: /tmp
- name: next-cache
  mountPath: /app/.next/cache
- name: exports
  mountPath: /data/exports
{{- end }}

{{- define "neuralops.volumes" -}}
- name: tmp
  emptyDir: {}
- name: next-cache
  emptyDir: {}
- name: exports
{{- if .Values.exports.persistence.enabled }}
  persistentVolumeClaim:
    claimName: {{ .Values.exports.persistence.existingClaim | default (printf "%s-exports" .Release.Name) }}
{{- else }}
  emptyDir: {}
{{- end }}
{{- end }}

{{/*
Migrations before the process starts (scripts/migrate.ts: creates the database if missing, applies
prisma/migrations under an advisory lock).
*/}}
{{- define "neuralops.initContainers" -}}
{{- if .Values.migrations.enabled }}
initContainers:
  - name: migrate
    image: {{ include "neuralops.image" . }}
    imagePullPolicy: {{ .Values.image.pullPolicy }}
    command: ["node", "--import", "tsx", "scripts/migrate.ts"]
    envFrom:
      {{- include "neuralops.envFrom" . | nindent 6 }}
    {{- if .Values.extraEnv }}
    env:
      {{- toYaml .Values.extraEnv | nindent 6 }}
    {{- end }}
    securityContext:
      {{- include "neuralops.containerSecurityContext" . | nindent 6 }}
    volumeMounts:
      - name: tmp
        mountPath: /tmp
    resources:
      requests: { cpu: 50m, memory: 128Mi }
      limits: { memory: 512Mi }
{{- end }}
{{- end }}

{{- define "neuralops.podSpecCommon" -}}
serviceAccountName: {{ .Release.Name }}
automountServiceAccountToken: false
securityContext:
  {{- toYaml .Values.podSecurityContext | nindent 2 }}
{{- if .Values.imagePullSecrets }}
imagePullSecrets:
  {{- toYaml .Values.imagePullSecrets | nindent 2 }}
{{- end }}
volumes:
  {{- include "neuralops.volumes" . | nindent 2 }}
{{- end }}
