// checkTrigger: every check the agent makes before it acts on a trigger, and the order they run in.
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CLOCK_SKEW_MS, sha256Hex, signBytes, TRIGGER_MAX_TTL_MS, type AgentAction, type TriggerPayload } from "@/lib/agents/protocol";
import { Journal } from "./journal";
import { checkTrigger, type Trust, type Verdict } from "./verify-trigger";

const cp = generateKeyPairSync("ec", { namedCurve: "P-256" });
const other = generateKeyPairSync("ec", { namedCurve: "P-256" });

const CLUSTER = "3f1c2b7e-9a4d-4e8b-8c1a-2d5e6f7a8b9c";
const OTHER_CLUSTER = "7b2e4c1d-5f6a-4b3c-9d8e-1a2b3c4d5e6f";
const RUN = "0e8d7c6b-5a49-4382-a716-f5e4d3c2b1a0";
const NOW = Date.parse("2025-03-01T12:00:00.000Z");
const iso = (ms: number) => new Date(ms).toISOString();

let nonceSeq = 0;
function payload(over: Partial<TriggerPayload> & Record<string, unknown> = {}): TriggerPayload {
  return {
    v: 1,
    clusterId: CLUSTER,
    runId: RUN,
    stepId: "restart-api",
    nonce: `nonce_${String(++nonceSeq).padStart(4, "0")}_abcdefgh`,
    playbookDigest: "a".repeat(64),
    action: "k8s.scale",
    mode: "execute",
    params: { namespace: "shop", deployment: "api", replicas: 3 },
    issuedAt: iso(NOW - 10_000),
    expiresAt: iso(NOW + 110_000),
    ...over,
  } as TriggerPayload;
}

function sign(p: unknown, key: KeyObject = cp.privateKey) {
  const text = typeof p === "string" ? p : JSON.stringify(p);
  return { payload: text, signature: signBytes(key, text) };
}

function trust(over: Partial<Trust> = {}): Trust {
  return {
    clusterId: CLUSTER,
    controlPlaneKey: cp.publicKey,
    allowlist: new Set<AgentAction>(["k8s.scale", "k8s.rollout_restart", "k8s.logs"]),
    journal: new Journal(null),
    ...over,
  };
}

function expectReject(v: Verdict, code: string, nonce?: string | null) {
  expect(v.kind).toBe("reject");
  if (v.kind !== "reject") throw new Error("unreachable");
  expect(v.code).toBe(code);
  expect(v.reason.length).toBeGreaterThan(0);
  if (nonce !== undefined) expect(v.nonce).toBe(nonce);
  return v;
}

describe("checkTrigger: a valid trigger", () => {
  it("runs, with the parsed payload and the sha256 of the exact signed text", () => {
    const p = payload();
    const t = sign(p);
    const v = checkTrigger(t, trust(), NOW);
    expect(v.kind).toBe("run");
    if (v.kind !== "run") throw new Error("unreachable");
    expect(v.payload).toEqual(p);
    expect(v.payloadHash).toBe(sha256Hex(t.payload));
    expect(v.payloadHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("accepts the control-plane key as a PEM string too", () => {
    const pem = cp.publicKey.export({ type: "spki", format: "pem" }).toString();
    expect(checkTrigger(sign(payload()), trust({ controlPlaneKey: pem }), NOW).kind).toBe("run");
  });

  it("verifies the exact bytes, whatever their JSON formatting (no canonical form needed)", () => {
    const p = payload();
    const pretty = JSON.stringify(p, null, 2);
    const v = checkTrigger(sign(pretty), trust(), NOW);
    expect(v.kind).toBe("run");
    if (v.kind === "run") expect(v.payloadHash).toBe(sha256Hex(pretty));
  });

  it("accepts a metrics query with no run, step or playbook", () => {
    const v = checkTrigger(sign(payload({ action: "prometheus.query_range", runId: null, stepId: null, playbookDigest: null })), trust({ allowlist: new Set(["prometheus.query_range"]) }), NOW);
    expect(v.kind).toBe("run");
  });
});

describe("checkTrigger: signature", () => {
  it("rejects a trigger signed by another key as bad_signature and reports the (untrusted) nonce", () => {
    const p = payload();
    expectReject(checkTrigger(sign(p, other.privateKey), trust(), NOW), "bad_signature", p.nonce);
  });

  it("rejects a payload changed after signing (replicas 3 → 300)", () => {
    const p = payload();
    const t = sign(p);
    const tampered = { ...t, payload: t.payload.replace('"replicas":3', '"replicas":300') };
    expect(tampered.payload).not.toBe(t.payload);
    expectReject(checkTrigger(tampered, trust(), NOW), "bad_signature", p.nonce);
  });

  it("rejects a payload re-addressed to this cluster after signing", () => {
    const t = sign(payload({ clusterId: OTHER_CLUSTER }));
    const moved = { ...t, payload: t.payload.replace(OTHER_CLUSTER, CLUSTER) };
    expectReject(checkTrigger(moved, trust(), NOW), "bad_signature");
  });

  it("rejects a garbage or empty-ish signature as bad_signature without throwing", () => {
    const p = payload();
    const text = JSON.stringify(p);
    expectReject(checkTrigger({ payload: text, signature: "AAAA" }, trust(), NOW), "bad_signature", p.nonce);
    expectReject(checkTrigger({ payload: text, signature: "not base64 at all!!" }, trust(), NOW), "bad_signature", p.nonce);
  });

  it("reports no nonce for a forged payload that is not JSON", () => {
    expectReject(checkTrigger(sign("{not json", other.privateKey), trust(), NOW), "bad_signature", null);
  });

  it("reports no nonce when the forged nonce is absurdly long or not a string", () => {
    expectReject(checkTrigger(sign(payload({ nonce: "x".repeat(129) }), other.privateKey), trust(), NOW), "bad_signature", null);
    expectReject(checkTrigger(sign({ ...payload(), nonce: 42 }, other.privateKey), trust(), NOW), "bad_signature", null);
  });

  it("checks the signature before anything else: a forged trigger for a non-allowlisted action, wrong cluster, expired, is bad_signature", () => {
    const p = payload({ action: "k8s.cordon", clusterId: OTHER_CLUSTER, issuedAt: iso(NOW - 3_600_000), expiresAt: iso(NOW - 3_500_000) });
    expectReject(checkTrigger(sign(p, other.privateKey), trust(), NOW), "bad_signature", p.nonce);
    // Properly signed, the same payload fails on a later check instead.
    expect(checkTrigger(sign(p), trust(), NOW)).toMatchObject({ kind: "reject", code: "wrong_cluster" });
  });

  it("a forged copy of a journaled trigger is bad_signature, not a redelivery", () => {
    const j = new Journal(null);
    const p = payload();
    const t = sign(p);
    j.start(p.nonce, sha256Hex(t.payload), Date.parse(p.expiresAt));
    expectReject(checkTrigger({ ...t, signature: sign(p, other.privateKey).signature }, trust({ journal: j }), NOW), "bad_signature", p.nonce);
  });
});

describe("checkTrigger: malformed", () => {
  it.each([
    ["undefined", undefined],
    ["a string", "payload"],
    ["no signature", { payload: "{}" }],
    ["no payload", { signature: "abc" }],
    ["payload not a string", { payload: { v: 1 }, signature: "abc" }],
    ["empty signature", { payload: "{}", signature: "" }],
    ["payload too large", { payload: "x".repeat(64 * 1024 + 1), signature: "abc" }],
  ])("rejects something that is not a signed trigger (%s) with nonce null", (_name, raw) => {
    const v = expectReject(checkTrigger(raw, trust(), NOW), "malformed", null);
    expect(v.reason).toBe("not a signed trigger");
  });

  it("rejects a correctly signed payload that is not JSON", () => {
    const v = expectReject(checkTrigger(sign("this is not json"), trust(), NOW), "malformed", null);
    expect(v.reason).toMatch(/not JSON/);
  });

  it("rejects an unknown action name, naming the field, and reports the nonce", () => {
    const p = payload({ action: "k8s.exec" as AgentAction });
    const v = expectReject(checkTrigger(sign(p), trust(), NOW), "malformed", p.nonce);
    expect(v.reason).toMatch(/^action: /);
  });

  it("rejects an extra field (strict schema)", () => {
    const p = payload({ command: "rm -rf /" });
    const v = expectReject(checkTrigger(sign(p), trust(), NOW), "malformed", p.nonce);
    expect(v.reason).toMatch(/command/);
  });

  it.each([
    ["version 2", { v: 2 }],
    ["cluster id not a uuid", { clusterId: "prod" }],
    ["short nonce", { nonce: "short" }],
    ["nonce with a slash", { nonce: "abcdefgh/ijklmnop" }],
    ["playbook digest not hex", { playbookDigest: "Z".repeat(64) }],
    ["unknown mode", { mode: "force" }],
    ["params an array", { params: [1, 2] }],
    ["issuedAt not a date", { issuedAt: "yesterday" }],
    ["expiresAt a number", { expiresAt: NOW + 60_000 }],
  ])("rejects a schema violation (%s)", (_name, over) => {
    expectReject(checkTrigger(sign(payload(over as Partial<TriggerPayload>)), trust(), NOW), "malformed");
  });

  it("rejects a JSON array or null payload", () => {
    expectReject(checkTrigger(sign("[]"), trust(), NOW), "malformed", null);
    expectReject(checkTrigger(sign("null"), trust(), NOW), "malformed", null);
  });
});

describe("checkTrigger: cluster", () => {
  it("rejects a trigger for another cluster, naming both", () => {
    const p = payload({ clusterId: OTHER_CLUSTER });
    const v = expectReject(checkTrigger(sign(p), trust(), NOW), "wrong_cluster", p.nonce);
    expect(v.reason).toContain(OTHER_CLUSTER);
    expect(v.reason).toContain(CLUSTER);
  });

  it("reports wrong_cluster before expired and before action_not_allowed", () => {
    const p = payload({ clusterId: OTHER_CLUSTER, action: "k8s.cordon", issuedAt: iso(NOW - 600_000), expiresAt: iso(NOW - 500_000) });
    expectReject(checkTrigger(sign(p), trust(), NOW), "wrong_cluster");
  });
});

describe("checkTrigger: freshness", () => {
  const at = (issued: number, expires: number) => payload({ issuedAt: iso(issued), expiresAt: iso(expires) });

  it("rejects a trigger past expiresAt + skew", () => {
    const p = at(NOW - 200_000, NOW - CLOCK_SKEW_MS - 1);
    const v = expectReject(checkTrigger(sign(p), trust(), NOW), "expired", p.nonce);
    expect(v.reason).toContain(p.expiresAt);
  });

  it("still accepts a trigger expired by less than the skew, up to the boundary", () => {
    expect(checkTrigger(sign(at(NOW - 100_000, NOW - 1)), trust(), NOW).kind).toBe("run");
    expect(checkTrigger(sign(at(NOW - 100_000, NOW - CLOCK_SKEW_MS + 1)), trust(), NOW).kind).toBe("run");
    // Exactly expiresAt + skew: still accepted; one millisecond later: expired.
    const edge = at(NOW - 100_000, NOW - CLOCK_SKEW_MS);
    expect(checkTrigger(sign(edge), trust(), NOW).kind).toBe("run");
    expectReject(checkTrigger(sign(edge), trust(), NOW + 1), "expired");
  });

  it("accepts a lifetime of exactly TRIGGER_MAX_TTL_MS and rejects one millisecond more", () => {
    expect(checkTrigger(sign(at(NOW - 1000, NOW - 1000 + TRIGGER_MAX_TTL_MS)), trust(), NOW).kind).toBe("run");
    const v = expectReject(checkTrigger(sign(at(NOW - 1000, NOW - 1000 + TRIGGER_MAX_TTL_MS + 1)), trust(), NOW), "expired");
    expect(v.reason).toMatch(/lifetime/);
  });

  it("rejects a long-lived trigger even when now is well within it (a day-long trigger is never accepted)", () => {
    expectReject(checkTrigger(sign(at(NOW - 1000, NOW + 24 * 3_600_000)), trust(), NOW), "expired");
  });

  it("rejects a zero or negative lifetime", () => {
    expectReject(checkTrigger(sign(at(NOW, NOW)), trust(), NOW), "expired");
    expectReject(checkTrigger(sign(at(NOW + 10_000, NOW)), trust(), NOW), "expired");
  });

  it("rejects a trigger issued further in the future than the skew, accepts one within it", () => {
    const future = at(NOW + CLOCK_SKEW_MS + 1, NOW + CLOCK_SKEW_MS + 60_000);
    const v = expectReject(checkTrigger(sign(future), trust(), NOW), "expired", future.nonce);
    expect(v.reason).toMatch(/future/);
    expect(checkTrigger(sign(at(NOW + CLOCK_SKEW_MS, NOW + CLOCK_SKEW_MS + 60_000)), trust(), NOW).kind).toBe("run");
    expect(checkTrigger(sign(at(NOW + 5_000, NOW + 65_000)), trust(), NOW).kind).toBe("run");
  });

  it("compares instants, not strings: an offset timestamp is the same moment", () => {
    // 13:00+01:00 is 12:00Z = NOW; expires five minutes later.
    const p = payload({ issuedAt: "2025-03-01T13:00:00+01:00", expiresAt: "2025-03-01T12:05:00Z" });
    expect(checkTrigger(sign(p), trust(), NOW).kind).toBe("run");
    expectReject(checkTrigger(sign(p), trust(), Date.parse("2025-03-01T12:05:30.001Z")), "expired");
  });

  it("reports an expired trigger as expired even if its action is not allowed", () => {
    expectReject(checkTrigger(sign(at(NOW - 600_000, NOW - 500_000)), trust({ allowlist: new Set() }), NOW), "expired");
  });
});

describe("checkTrigger: allowlist", () => {
  it("rejects an action not on the local allowlist, naming it", () => {
    const p = payload({ action: "k8s.delete_pod" });
    const v = expectReject(checkTrigger(sign(p), trust(), NOW), "action_not_allowed", p.nonce);
    expect(v.reason).toContain("k8s.delete_pod");
  });

  it("an empty allowlist allows nothing", () => {
    expectReject(checkTrigger(sign(payload({ action: "k8s.logs" })), trust({ allowlist: new Set() }), NOW), "action_not_allowed");
  });

  it("a dry run needs the action on the allowlist too", () => {
    expectReject(checkTrigger(sign(payload({ action: "k8s.cordon", mode: "dryRun" })), trust(), NOW), "action_not_allowed");
  });
});

describe("checkTrigger: the nonce journal", () => {
  function journaled(state: "running" | "done" | "acked") {
    const journal = new Journal(null);
    const p = payload();
    const t = sign(p);
    journal.start(p.nonce, sha256Hex(t.payload), Date.parse(p.expiresAt));
    if (state !== "running") journal.finish(p.nonce, { ok: true, exitStatus: 0, summary: "scaled shop/api to 3" });
    if (state === "acked") journal.ack(p.nonce);
    expect(journal.get(p.nonce)?.state).toBe(state);
    return { journal, p, t };
  }

  it("the same trigger again while it runs is a redelivery carrying the journal entry", () => {
    const { journal, p, t } = journaled("running");
    const v = checkTrigger(t, trust({ journal }), NOW);
    expect(v).toEqual({ kind: "redelivery", payload: p, entry: { payloadHash: sha256Hex(t.payload), expiresAt: Date.parse(p.expiresAt), state: "running" } });
  });

  it("the same trigger again after it finished is a redelivery with the outcome", () => {
    const { journal, p, t } = journaled("done");
    const v = checkTrigger(t, trust({ journal }), NOW);
    expect(v.kind).toBe("redelivery");
    if (v.kind !== "redelivery") throw new Error("unreachable");
    expect(v.payload.nonce).toBe(p.nonce);
    expect(v.entry.state).toBe("done");
    expect(v.entry.outcome).toEqual({ ok: true, exitStatus: 0, summary: "scaled shop/api to 3" });
  });

  it("the same trigger again after the result was acknowledged is a replayed nonce", () => {
    const { journal, p, t } = journaled("acked");
    const v = expectReject(checkTrigger(t, trust({ journal }), NOW), "replayed_nonce", p.nonce);
    expect(v.reason).toMatch(/acknowledged/);
  });

  it("a different (validly signed) payload reusing a journaled nonce is a replayed nonce, in every state", () => {
    for (const state of ["running", "done", "acked"] as const) {
      const { journal, p } = journaled(state);
      const again = payload({ nonce: p.nonce, params: { namespace: "shop", deployment: "api", replicas: 0 } });
      expectReject(checkTrigger(sign(again), trust({ journal }), NOW), "replayed_nonce", p.nonce);
    }
  });

  it("a redelivery is answered even if the action has since left the allowlist (it already started)", () => {
    const { journal, t } = journaled("done");
    expect(checkTrigger(t, trust({ journal, allowlist: new Set() }), NOW).kind).toBe("redelivery");
  });

  it("a redelivered trigger past its expiry is rejected as expired, not answered from the journal", () => {
    const { journal, p, t } = journaled("done");
    expectReject(checkTrigger(t, trust({ journal }), Date.parse(p.expiresAt) + CLOCK_SKEW_MS + 1), "expired");
  });

  it("an unrelated nonce in the journal does not affect a new trigger", () => {
    const { journal } = journaled("acked");
    expect(checkTrigger(sign(payload()), trust({ journal }), NOW).kind).toBe("run");
  });

  it("checkTrigger itself does not record the nonce (the caller starts it)", () => {
    const journal = new Journal(null);
    const t = sign(payload());
    expect(checkTrigger(t, trust({ journal }), NOW).kind).toBe("run");
    expect(checkTrigger(t, trust({ journal }), NOW).kind).toBe("run");
    expect(journal.running()).toBe(0);
  });
});
