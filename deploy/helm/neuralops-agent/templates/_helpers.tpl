{{/*
Names are fixed rather than derived from the release: the agent looks for its Secret by name, the remote_write
URL printed by NOTES.txt names the Service, and a second release in the same cluster would be a second agent
for one identity, which the cluster-scoped names below make Helm refuse.
*/}}

{{- define "neuralops-agent.selectorLabels" -}}
app.kubernetes.io/name: neuralops-agent
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "neuralops-agent.labels" -}}
{{ include "neuralops-agent.selectorLabels" . }}
app.kubernetes.io/version: {{ .Values.image.tag | default .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{/*
The labels of the Prometheus pods allowed to reach the relay (a default here rather than in values.yaml,
where Helm would merge a user's labels into it instead of replacing it).
*/}}
{{- define "neuralops-agent.prometheusPodLabels" -}}
{{ .Values.prometheus.podLabels | default (dict "app.kubernetes.io/name" "prometheus") | toYaml }}
{{- end }}

{{/*
The allowlist file the agent reads (agent/config.ts readAllowlist). Used by the ConfigMap and, hashed, by the
Deployment's checksum annotation, so the pod restarts exactly when the list changes.
*/}}
{{- define "neuralops-agent.allowlist" -}}
# The agent runs only these actions, and only when the control plane's signature verifies. Read at start.
actions: {{ toJson .Values.allowedActions }}
{{- end }}

{{/*
Mirror of ACTION_RBAC in agent/rbac.ts: the Kubernetes permissions each action needs and nothing else.
deploy/deploy.test.ts renders the chart and fails if the granted rules differ from ACTION_RBAC in any way.
`name` becomes neuralops-agent-<name> for the ClusterRole and its bindings. An action without rules gets
no ClusterRole.
*/}}
{{- define "neuralops-agent.actionRbac" -}}
k8s.rollout_restart:
  name: rollout-restart
  scope: namespaced
  rules:
    - apiGroups: ["apps"]
      resources: ["deployments"]
      verbs: ["patch"]
k8s.scale:
  name: scale
  scope: namespaced
  rules:
    - apiGroups: ["apps"]
      resources: ["deployments/scale"]
      verbs: ["patch"]
k8s.delete_pod:
  name: delete-pod
  scope: namespaced
  rules:
    - apiGroups: [""]
      resources: ["pods"]
      verbs: ["delete"]
k8s.cordon:
  name: cordon
  scope: cluster
  rules:
    - apiGroups: [""]
      resources: ["nodes"]
      verbs: ["patch"]
k8s.logs:
  name: logs
  scope: namespaced
  rules:
    - apiGroups: [""]
      resources: ["pods/log"]
      verbs: ["get"]
k8s.events:
  name: events
  scope: namespaced
  rules:
    - apiGroups: [""]
      resources: ["events"]
      verbs: ["list"]
prometheus.query_range:
  name: prometheus-query-range
  scope: namespaced
  rules: []
{{- end }}

{{/*
Mirror of CHANGE_WATCH_RBAC in agent/rbac.ts: what the change watch needs (list and watch Deployments and
ConfigMaps). Bound like a namespaced action. deploy/deploy.test.ts checks the two agree.
*/}}
{{- define "neuralops-agent.changeWatchRbac" -}}
scope: namespaced
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["list", "watch"]
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["list", "watch"]
{{- end }}
