// Everything the agent checks before it acts on a trigger. The control plane is trusted only through its
// signature: a trigger runs when it is signed by the key received at enrollment, addressed to this cluster,
// fresh, not seen before, and for an action on the local allowlist.
import type { KeyObject } from "node:crypto";
import {
  CLOCK_SKEW_MS,
  sha256Hex,
  TRIGGER_MAX_TTL_MS,
  verifyBytes,
  ZSignedTrigger,
  ZTriggerPayload,
  type AgentAction,
  type RejectionCode,
  type TriggerPayload,
} from "@/lib/agents/protocol";
import type { Entry, Journal } from "./journal";

export type Verdict =
  | { kind: "run"; payload: TriggerPayload; payloadHash: string }
  /** The same trigger again (a resend after a reconnect): answer from the journal, do not run it. */
  | { kind: "redelivery"; payload: TriggerPayload; entry: Entry }
  | { kind: "reject"; nonce: string | null; code: RejectionCode; reason: string };

export type Trust = { clusterId: string; controlPlaneKey: KeyObject | string; allowlist: ReadonlySet<AgentAction>; journal: Journal };

/** The nonce of a payload we refuse to trust, for the rejection report only. */
function nonceOf(text: unknown): string | null {
  try {
    const n = (JSON.parse(String(text)) as { nonce?: unknown }).nonce;
    return typeof n === "string" && n.length <= 128 ? n : null;
  } catch {
    return null;
  }
}

export function checkTrigger(raw: unknown, trust: Trust, now = Date.now()): Verdict {
  const signed = ZSignedTrigger.safeParse(raw);
  if (!signed.success) return { kind: "reject", nonce: null, code: "malformed", reason: "not a signed trigger" };
  const { payload: text, signature } = signed.data;
  if (!verifyBytes(trust.controlPlaneKey, text, signature))
    return { kind: "reject", nonce: nonceOf(text), code: "bad_signature", reason: "signature does not verify with the control-plane key from enrollment" };

  let parsed;
  try {
    parsed = ZTriggerPayload.safeParse(JSON.parse(text));
  } catch {
    return { kind: "reject", nonce: null, code: "malformed", reason: "payload is not JSON" };
  }
  if (!parsed.success) return { kind: "reject", nonce: nonceOf(text), code: "malformed", reason: parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ") };
  const p = parsed.data;
  const reject = (code: RejectionCode, reason: string): Verdict => ({ kind: "reject", nonce: p.nonce, code, reason });

  if (p.clusterId !== trust.clusterId) return reject("wrong_cluster", `trigger is for cluster ${p.clusterId}, this agent is ${trust.clusterId}`);

  const issued = Date.parse(p.issuedAt);
  const expires = Date.parse(p.expiresAt);
  if (expires - issued > TRIGGER_MAX_TTL_MS || expires <= issued) return reject("expired", `lifetime ${Math.round((expires - issued) / 1000)} s is outside (0, ${TRIGGER_MAX_TTL_MS / 1000}] s`);
  if (now > expires + CLOCK_SKEW_MS) return reject("expired", `expired at ${p.expiresAt}`);
  if (issued > now + CLOCK_SKEW_MS) return reject("expired", `issued in the future (${p.issuedAt})`);

  const payloadHash = sha256Hex(text);
  const seen = trust.journal.get(p.nonce);
  if (seen) {
    if (seen.payloadHash === payloadHash && seen.state !== "acked") return { kind: "redelivery", payload: p, entry: seen };
    return reject("replayed_nonce", seen.state === "acked" ? "this trigger already ran and its result was acknowledged" : "nonce already used by another trigger");
  }

  if (!trust.allowlist.has(p.action)) return reject("action_not_allowed", `${p.action} is not on this agent's allowlist (ConfigMap neuralops-agent-allowlist)`);
  return { kind: "run", payload: p, payloadHash };
}
