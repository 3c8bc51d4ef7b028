// Kubernetes objects checked against the API's own schemas (kubernetes-models, and the Prometheus Operator's
// for ServiceMonitor) without a cluster: parse rendered YAML the way Kubernetes reads it, then validate each
// object, including fields the schema does not know and names and labels the API server would refuse. Shared
// by the agent's chart test (deploy.test.ts) and the control plane's (control-plane.test.ts).
import { parseAllDocuments } from "yaml";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { Job } from "kubernetes-models/batch/v1/Job";
import { Ingress } from "kubernetes-models/networking.k8s.io/v1/Ingress";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { ClusterRole } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole";
import { ClusterRoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";

export type Dict = Record<string, unknown>;
export type Meta = { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
export type K8sObject = { apiVersion: string; kind: string; metadata: Meta } & Dict;

export function parseDocs(text: string, source: string): K8sObject[] {
  // Kubernetes' YAML reader follows YAML 1.1 (`on`, `yes` are booleans there), so read it the same way.
  return parseAllDocuments(text, { version: "1.1" }).map((doc, i) => {
    if (doc.errors.length) throw new Error(`${source} document ${i}: ${doc.errors.map((e) => e.message).join("; ")}`);
    const obj: unknown = doc.toJS();
    if (!obj || typeof obj !== "object") throw new Error(`${source} document ${i} is empty or not an object`);
    return obj as K8sObject;
  });
}

type ModelCtor = new (data: never) => { validate(): void };
// Explicit, so a kind nobody thought about fails instead of passing unvalidated.
export const MODELS: Record<string, { apiVersion: string; model: ModelCtor; namespaced: boolean }> = {
  Namespace: { apiVersion: "v1", model: Namespace, namespaced: false },
  PersistentVolumeClaim: { apiVersion: "v1", model: PersistentVolumeClaim, namespaced: true },
  ServiceAccount: { apiVersion: "v1", model: ServiceAccount, namespaced: true },
  Secret: { apiVersion: "v1", model: Secret, namespaced: true },
  ConfigMap: { apiVersion: "v1", model: ConfigMap, namespaced: true },
  Service: { apiVersion: "v1", model: Service, namespaced: true },
  Deployment: { apiVersion: "apps/v1", model: Deployment, namespaced: true },
  NetworkPolicy: { apiVersion: "networking.k8s.io/v1", model: NetworkPolicy, namespaced: true },
  ClusterRole: { apiVersion: "rbac.authorization.k8s.io/v1", model: ClusterRole, namespaced: false },
  ClusterRoleBinding: { apiVersion: "rbac.authorization.k8s.io/v1", model: ClusterRoleBinding, namespaced: false },
  Role: { apiVersion: "rbac.authorization.k8s.io/v1", model: Role, namespaced: true },
  RoleBinding: { apiVersion: "rbac.authorization.k8s.io/v1", model: RoleBinding, namespaced: true },
  Ingress: { apiVersion: "networking.k8s.io/v1", model: Ingress, namespaced: true },
  Job: { apiVersion: "batch/v1", model: Job, namespaced: true },
  ServiceMonitor: { apiVersion: "monitoring.coreos.com/v1", model: ServiceMonitor, namespaced: true },
};

export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
export const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
export const QUALIFIED_NAME = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * The generated validators only look at the properties the schema knows, so a misspelt field would pass.
 * Running them over a proxy that records every property they read finds the fields nobody read: those
 * are not in the schema (the API server would drop or reject them).
 */
function unknownFields(obj: unknown, validate: (data: unknown) => void): string[] {
  const seen = new Set<string>();
  const wrap = (v: unknown, at: string): unknown =>
    v !== null && typeof v === "object"
      ? new Proxy(v, {
          get(target, key, receiver) {
            if (typeof key === "string") seen.add(`${at}/${key}`);
            return wrap(Reflect.get(target, key, receiver), `${at}/${String(key)}`);
          },
        })
      : v;
  validate(wrap(obj, ""));
  const unread: string[] = [];
  const walk = (v: unknown, at: string) => {
    if (v === null || typeof v !== "object") return;
    for (const [k, child] of Object.entries(v)) {
      const p = `${at}/${k}`;
      if (!seen.has(p)) unread.push(p);
      else walk(child, p);
    }
  };
  walk(obj, "");
  return unread;
}

/** Throws with every problem found: schema errors, fields outside the schema, invalid names and labels. */
export function validateObject(obj: K8sObject): void {
  const where = `${obj.kind} ${obj.metadata?.namespace ?? ""}/${obj.metadata?.name}`;
  const entry = MODELS[obj.kind];
  if (!entry) throw new Error(`${where}: no model for kind ${obj.kind} (add it to MODELS deliberately)`);
  if (obj.apiVersion !== entry.apiVersion) throw new Error(`${where}: apiVersion ${obj.apiVersion}, expected ${entry.apiVersion}`);
  const model = new entry.model(obj as never);
  let extra: string[];
  try {
    extra = unknownFields(obj, (data) => model.validate.call(data));
  } catch (e) {
    throw new Error(`${where}: ${(e as Error).message}`);
  }
  const problems = extra.map((f) => `field ${f} is not in the ${obj.kind} schema`);
  const { name, namespace, labels = {}, annotations = {} } = obj.metadata;
  const nameRule = obj.kind === "Namespace" || obj.kind === "Service" ? DNS_LABEL : DNS_SUBDOMAIN;
  if (!nameRule.test(name) || name.length > (nameRule === DNS_LABEL ? 63 : 253)) problems.push(`invalid name ${JSON.stringify(name)}`);
  if (entry.namespaced && !(namespace && DNS_LABEL.test(namespace))) problems.push(`namespaced kind needs a valid metadata.namespace, got ${JSON.stringify(namespace)}`);
  if (!entry.namespaced && namespace !== undefined) problems.push("cluster-scoped kind must not have metadata.namespace");
  const checkLabels = (l: Record<string, unknown>, at: string) => {
    for (const [k, v] of Object.entries(l)) {
      if (!QUALIFIED_NAME.test(k)) problems.push(`${at}: invalid label key ${k}`);
      if (typeof v !== "string" || v.length > 63 || !LABEL_VALUE.test(v)) problems.push(`${at}: invalid label value ${k}=${JSON.stringify(v)}`);
    }
  };
  checkLabels(labels, "metadata.labels");
  for (const k of Object.keys(annotations)) if (!QUALIFIED_NAME.test(k)) problems.push(`invalid annotation key ${k}`);
  const tmpl = (obj as { spec?: { template?: { metadata?: Meta } } }).spec?.template?.metadata;
  if (tmpl?.labels) checkLabels(tmpl.labels, "spec.template.metadata.labels");
  if (problems.length) throw new Error(`${where}: ${problems.join("; ")}`);
}
