// The agent's configuration: environment variables (set by the Deployment) plus the allowlist file (the
// ConfigMap mounted read-only). Read once at start; a changed allowlist takes effect on restart, which
// `kubectl rollout restart` (or a Helm upgrade, via the checksum annotation) does.
import { readFileSync } from "node:fs";
import { z } from "zod";
import { parse as parseYaml } from "yaml";
import { AGENT_ACTIONS, gatewayUrlFor, type AgentAction } from "@/lib/agents/protocol";
import { IDENTITY_SECRET_NAME } from "./rbac";

export const AGENT_VERSION = "0.1.0";

const ZEnv = z.object({
  // Base URL of the control plane (enrollment and forwarded remote_write).
  NEURALOPS_URL: z.string().url(),
  // The WebSocket endpoint; by default NEURALOPS_URL with ws(s):// and AGENT_CONNECT_PATH.
  NEURALOPS_GATEWAY_URL: z.string().url().optional(),
  // Where the identity lives: `secret:<namespace>/<name>` (in a cluster) or `file:<path>` (anywhere else).
  NEURALOPS_IDENTITY: z.string().regex(/^(secret:[a-z0-9-]+\/[a-z0-9.-]+|file:.+)$/).optional(),
  // Only read when the identity store holds no bootstrap token (e.g. a file store).
  NEURALOPS_BOOTSTRAP_TOKEN: z.string().optional(),
  NEURALOPS_ALLOWLIST_FILE: z.string().default("/etc/neuralops/allowlist.yaml"),
  // The trigger journal (nonces and unacknowledged results): a PersistentVolumeClaim in the chart, so it
  // survives the pod being rescheduled to another node, not only container restarts.
  NEURALOPS_STATE_DIR: z.string().default("/var/lib/neuralops-agent"),
  // In-cluster Prometheus, for relayed range queries.
  PROMETHEUS_URL: z.string().url().optional(),
  // In-cluster listener: /healthz, /readyz and the remote_write relay (/api/v1/write).
  NEURALOPS_LISTEN: z.string().regex(/^(([^:]*|\[[0-9a-fA-F:]+\]):)?\d+$/, "host:port, :port or port").default("0.0.0.0:9091"),
  // Largest remote_write body relayed (compressed bytes); larger batches get 413.
  NEURALOPS_MAX_WRITE_BYTES: z.coerce.number().int().positive().default(1024 * 1024),
  // The relay secret Prometheus must present (Secret neuralops-agent-relay, mounted); without it, 401.
  NEURALOPS_RELAY_SECRET_FILE: z.string().min(1).default("/etc/neuralops-relay/token"),
  // Kubernetes API: in-cluster service account unless KUBECONFIG is set; NEURALOPS_KUBE_API (a plain URL,
  // no auth) is for tests against a local API stand-in.
  KUBECONFIG: z.string().optional(),
  NEURALOPS_KUBE_API: z.string().url().optional(),
  POD_NAMESPACE: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a namespace name").default("neuralops"),
  // The change watch (agent/changes/): Deployments and ConfigMaps, reported to POST /api/v1/changes.
  NEURALOPS_WATCH_CHANGES: z.enum(["true", "false"]).default("true"),
  // Comma-separated namespaces to watch; empty: every namespace (the chart grants list/watch to match).
  NEURALOPS_WATCH_NAMESPACES: z
    .string()
    .default("")
    .transform((s) => s.split(",").map((n) => n.trim()).filter(Boolean))
    .pipe(z.array(z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "each must be a namespace name"))),
  NEURALOPS_RECONNECT_MIN_MS: z.coerce.number().int().positive().default(1000),
  NEURALOPS_RECONNECT_MAX_MS: z.coerce.number().int().positive().default(60_000),
}).refine((e) => e.NEURALOPS_RECONNECT_MIN_MS <= e.NEURALOPS_RECONNECT_MAX_MS, { message: "must not exceed NEURALOPS_RECONNECT_MAX_MS", path: ["NEURALOPS_RECONNECT_MIN_MS"] });

export type AgentConfig = {
  controlPlaneUrl: string;
  gatewayUrl: string;
  identity: { kind: "secret"; namespace: string; name: string } | { kind: "file"; path: string };
  bootstrapToken?: string;
  allowlist: ReadonlySet<AgentAction>;
  stateDir: string;
  prometheusUrl?: string;
  listen: { host: string; port: number };
  maxWriteBytes: number;
  relaySecretFile: string;
  kube: { kubeconfig?: string; apiUrl?: string };
  reconnect: { minMs: number; maxMs: number };
  changes: { enabled: boolean; namespaces: string[] };
};

const ZAllowlist = z.object({ actions: z.array(z.enum(AGENT_ACTIONS)).default([]) }).strict();

/** The allowlist file: `actions: [k8s.rollout_restart, ...]`. A missing file allows nothing. */
export function readAllowlist(file: string): Set<AgentAction> {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return new Set();
    throw e;
  }
  const parsed = ZAllowlist.safeParse(parseYaml(text) ?? {});
  if (!parsed.success) throw new Error(`allowlist ${file}: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  return new Set(parsed.data.actions);
}

export function loadConfig(source: NodeJS.ProcessEnv = process.env): AgentConfig {
  const parsed = ZEnv.safeParse(source);
  if (!parsed.success) throw new Error(`invalid agent environment:\n${parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n")}`);
  const e = parsed.data;
  const spec = e.NEURALOPS_IDENTITY ?? `secret:${e.POD_NAMESPACE}/${IDENTITY_SECRET_NAME}`;
  const identity = spec.startsWith("file:")
    ? ({ kind: "file", path: spec.slice(5) } as const)
    : ({ kind: "secret", namespace: spec.slice(7).split("/")[0]!, name: spec.slice(7).split("/")[1]! } as const);
  const listen = /^(?:(.*):)?(\d+)$/.exec(e.NEURALOPS_LISTEN)!;
  return {
    controlPlaneUrl: e.NEURALOPS_URL.replace(/\/$/, ""),
    gatewayUrl: gatewayUrlFor(e.NEURALOPS_URL, e.NEURALOPS_GATEWAY_URL),
    identity,
    bootstrapToken: e.NEURALOPS_BOOTSTRAP_TOKEN,
    allowlist: readAllowlist(e.NEURALOPS_ALLOWLIST_FILE),
    stateDir: e.NEURALOPS_STATE_DIR,
    prometheusUrl: e.PROMETHEUS_URL,
    // server.listen wants a bare IPv6 address, not the bracketed URL form.
    listen: { host: listen[1]?.replace(/^\[(.*)\]$/, "$1") || "0.0.0.0", port: Number(listen[2]) },
    maxWriteBytes: e.NEURALOPS_MAX_WRITE_BYTES,
    relaySecretFile: e.NEURALOPS_RELAY_SECRET_FILE,
    kube: { kubeconfig: e.KUBECONFIG, apiUrl: e.NEURALOPS_KUBE_API },
    reconnect: { minMs: e.NEURALOPS_RECONNECT_MIN_MS, maxMs: e.NEURALOPS_RECONNECT_MAX_MS },
    changes: { enabled: e.NEURALOPS_WATCH_CHANGES === "true", namespaces: e.NEURALOPS_WATCH_NAMESPACES },
  };
}
