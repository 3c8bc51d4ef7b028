// The wire protocol between the control plane and the in-cluster agent (BYOC). Shared by both sides, so it
// imports nothing but zod and node:crypto: the agent bundles it without the database or the queue.
//
// A trigger travels as { payload, signature }: `payload` is the exact JSON text the control plane signed
// (ECDSA P-256, SHA-256, base64 DER — the same format as playbook signatures) and the agent verifies those
// bytes before it parses them, so neither side has to agree on a canonical JSON form.
import { createHash, createPublicKey, createSign, createVerify, type KeyObject } from "node:crypto";
import { z } from "zod";

export const AGENT_K8S_ACTIONS = ["k8s.rollout_restart", "k8s.scale", "k8s.delete_pod", "k8s.cordon", "k8s.logs", "k8s.events"] as const;
/** Everything an agent can be asked to do. The local allowlist (a ConfigMap) picks a subset. */
export const AGENT_ACTIONS = [...AGENT_K8S_ACTIONS, "prometheus.query_range"] as const;
export type AgentAction = (typeof AGENT_ACTIONS)[number];
export type AgentK8sAction = (typeof AGENT_K8S_ACTIONS)[number];

/** The longest a trigger may live (issuedAt → expiresAt); the agent rejects anything longer or older. */
export const TRIGGER_MAX_TTL_MS = 5 * 60_000;
/** Clock difference tolerated between the control plane and the agent. */
export const CLOCK_SKEW_MS = 30_000;
/** Largest message either side accepts on an authenticated socket (a page of logs or a range-query result fits). */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
/**
 * Largest message the gateway reads before the hello verifies: a hello is at most about 12 KiB (a 100-entry
 * allowlist), and a stranger must not make the gateway buffer megabytes.
 */
export const PRE_AUTH_MAX_MESSAGE_BYTES = 16 * 1024;
export const HEARTBEAT_MS = 15_000;
export const AGENT_CONNECT_PATH = "/api/v1/agent/connect";

/**
 * Where agents dial: the configured URL, else the control plane's own origin and base path with ws(s):// and
 * AGENT_CONNECT_PATH (https://host/neuralops → wss://host/neuralops/api/v1/agent/connect).
 */
export function gatewayUrlFor(controlPlaneUrl: string, configured?: string): string {
  if (configured) return configured;
  const u = new URL(controlPlaneUrl);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  u.pathname = u.pathname.replace(/\/$/, "") + AGENT_CONNECT_PATH;
  return u.toString();
}

const iso = z.string().datetime({ offset: true });

export const ZTriggerPayload = z
  .object({
    v: z.literal(1),
    clusterId: z.string().uuid(),
    // Null for a metrics query, which belongs to no run.
    runId: z.string().uuid().nullable(),
    stepId: z.string().min(1).max(200).nullable(),
    nonce: z.string().regex(/^[A-Za-z0-9_-]{16,128}$/),
    playbookDigest: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
    action: z.enum(AGENT_ACTIONS),
    // `dryRun` asks for the server-side dry run (`dryRun=All`) the orchestrator shows before approval.
    mode: z.enum(["execute", "dryRun"]),
    params: z.record(z.string(), z.unknown()),
    issuedAt: iso,
    expiresAt: iso,
  })
  .strict();
export type TriggerPayload = z.infer<typeof ZTriggerPayload>;

export const ZSignedTrigger = z.object({ payload: z.string().min(2).max(64 * 1024), signature: z.string().min(1).max(512) });
export type SignedTrigger = z.infer<typeof ZSignedTrigger>;

/** Why an agent refused a trigger. Every rejection is reported to the control plane and audited there. */
export const REJECTION_CODES = ["bad_signature", "malformed", "expired", "replayed_nonce", "wrong_cluster", "action_not_allowed"] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export const MAX_SUMMARY_CHARS = 2000;
export const MAX_ERROR_CHARS = 4000;
/** What a result's output may take of a message, leaving room for the rest (summary and error, JSON-escaped). */
export const MAX_OUTPUT_BYTES = MAX_MESSAGE_BYTES - 64 * 1024;

export const ZOutcome = z.object({
  ok: z.boolean(),
  // 0 on success; otherwise 1, or the HTTP status the Kubernetes/Prometheus API answered with (422 when the
  // control plane could not read the agent's result).
  exitStatus: z.number().int(),
  summary: z.string().max(MAX_SUMMARY_CHARS),
  output: z.record(z.string(), z.unknown()).optional(),
  error: z.string().max(MAX_ERROR_CHARS).optional(),
});
export type Outcome = z.infer<typeof ZOutcome>;

export const CLIPPED_MARK = "… (clipped)";

/** `s` cut to `max` UTF-16 units (what zod's max counts), ending with CLIPPED_MARK when it was cut. */
export function clipText(s: string, max: number): string {
  if (s.length <= max) return s;
  let head = s.slice(0, max - CLIPPED_MARK.length);
  // Never leave half of a surrogate pair behind.
  if (/[\uD800-\uDBFF]$/.test(head)) head = head.slice(0, -1);
  return head + CLIPPED_MARK;
}

/**
 * The outcome cut to what the protocol accepts. The agent sends only clipped outcomes: an outcome the gateway
 * refuses (or a message over the socket's limit) would otherwise be refused again on every resend.
 */
export function clipOutcome(o: Outcome, maxOutputBytes = MAX_OUTPUT_BYTES): Outcome {
  const out: Outcome = {
    ok: o.ok === true,
    exitStatus: Number.isInteger(o.exitStatus) ? o.exitStatus : 1,
    summary: clipText(String(o.summary ?? ""), MAX_SUMMARY_CHARS),
  };
  if (o.error !== undefined) out.error = clipText(String(o.error), MAX_ERROR_CHARS);
  if (o.output !== undefined) {
    const json = JSON.stringify(o.output) ?? "null";
    const bytes = Buffer.byteLength(json);
    // Too large to send: a readable start of it instead of nothing (the JSON text, cut at a character).
    out.output = bytes <= maxOutputBytes ? o.output : { clipped: true, bytes, preview: clipText(json, Math.min(64 * 1024, Math.floor(maxOutputBytes / 8))) };
  }
  return out;
}

// Control plane → agent.
export const ZServerMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("challenge"), nonce: z.string() }),
  z.object({ type: z.literal("welcome"), clusterId: z.string(), heartbeatMs: z.number().int().positive() }),
  z.object({ type: z.literal("trigger"), trigger: ZSignedTrigger }),
  // The control plane stored this result: the agent may forget it (and from now on treats the nonce as used).
  z.object({ type: z.literal("result_ack"), nonce: z.string() }),
  // The control plane could not read this result and recorded the trigger as failed instead: the agent forgets
  // the result as if acknowledged, because sending the same bytes again would be refused again.
  z.object({ type: z.literal("result_rejected"), nonce: z.string(), reason: z.string() }),
  z.object({ type: z.literal("error"), code: z.string(), message: z.string() }),
]);
export type ServerMessage = z.infer<typeof ZServerMessage>;

// Agent → control plane.
export const ZAgentMessage = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("hello"),
    clusterId: z.string().uuid(),
    // base64 DER ECDSA over helloBytes(clusterId, challenge) with the agent's private key.
    signature: z.string().max(512),
    version: z.string().max(64),
    // Action names: ASCII, so the largest hello stays under PRE_AUTH_MAX_MESSAGE_BYTES.
    allowlist: z.array(z.string().regex(/^[a-z0-9._-]{1,100}$/)).max(100),
  }),
  z.object({ type: z.literal("heartbeat"), running: z.number().int().nonnegative() }),
  // The agent verified the trigger and started (or, on a redelivery, had already started) it.
  z.object({ type: z.literal("accepted"), nonce: z.string().max(128) }),
  z.object({ type: z.literal("result"), nonce: z.string().max(128), outcome: ZOutcome }),
  z.object({ type: z.literal("rejected"), nonce: z.string().max(128).nullable(), code: z.enum(REJECTION_CODES), reason: z.string().max(1000) }),
]);
export type AgentMessage = z.infer<typeof ZAgentMessage>;

/** What the agent signs to prove it holds the enrolled key: bound to this cluster and this connection. */
export function helloBytes(clusterId: string, challenge: string): Buffer {
  return Buffer.from(`neuralops-agent-hello\n${clusterId}\n${challenge}`, "utf8");
}

export function signBytes(privateKeyPem: string | KeyObject, bytes: Buffer | string): string {
  return createSign("sha256").update(bytes).sign(privateKeyPem).toString("base64");
}

export function verifyBytes(publicKey: string | KeyObject, bytes: Buffer | string, signature: string): boolean {
  try {
    const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
    return createVerify("sha256").update(bytes).verify(key, Buffer.from(signature, "base64"));
  } catch {
    return false;
  }
}

export const sha256Hex = (bytes: Buffer | string) => createHash("sha256").update(bytes).digest("hex");

/** Enrollment: the agent trades the one-time bootstrap token and its public key for its identity. */
export const ZEnrollRequest = z.object({
  bootstrapToken: z.string().min(10).max(200),
  publicKeyPem: z.string().min(50).max(4000),
  version: z.string().max(64).default("unknown"),
});
export const ZEnrollResponse = z.object({
  clusterId: z.string().uuid(),
  clusterName: z.string(),
  // Verifies every trigger.
  controlPlanePublicKeyPem: z.string(),
  // Bearer token for forwarded remote_write batches (scoped to signals.ingest).
  ingestToken: z.string(),
});
export type EnrollResponse = z.infer<typeof ZEnrollResponse>;
