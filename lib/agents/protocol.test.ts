// The wire protocol: signatures, the hello binding, and the message schemas.
import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  AGENT_ACTIONS,
  AGENT_K8S_ACTIONS,
  CLIPPED_MARK,
  clipOutcome,
  CLOCK_SKEW_MS,
  helloBytes,
  MAX_MESSAGE_BYTES,
  PRE_AUTH_MAX_MESSAGE_BYTES,
  sha256Hex,
  signBytes,
  TRIGGER_MAX_TTL_MS,
  verifyBytes,
  ZAgentMessage,
  ZServerMessage,
  ZSignedTrigger,
} from "./protocol";

const key = generateKeyPairSync("ec", { namedCurve: "P-256" });
const other = generateKeyPairSync("ec", { namedCurve: "P-256" });
const pem = {
  priv: key.privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
  pub: key.publicKey.export({ type: "spki", format: "pem" }).toString(),
  otherPub: other.publicKey.export({ type: "spki", format: "pem" }).toString(),
};
const CLUSTER = "3f1c2b7e-9a4d-4e8b-8c1a-2d5e6f7a8b9c";

describe("signBytes / verifyBytes", () => {
  it("round-trips with KeyObjects and with PEM strings, for strings and Buffers", () => {
    const text = '{"v":1,"nonce":"abcdefghijklmnop"}';
    const sig = signBytes(key.privateKey, text);
    expect(sig).toMatch(/^[A-Za-z0-9+/]+=*$/);
    // A P-256 DER signature is 70–72 bytes.
    expect(Buffer.from(sig, "base64").length).toBeGreaterThanOrEqual(68);
    expect(Buffer.from(sig, "base64").length).toBeLessThanOrEqual(72);
    expect(verifyBytes(key.publicKey, text, sig)).toBe(true);
    expect(verifyBytes(pem.pub, text, sig)).toBe(true);
    expect(verifyBytes(pem.pub, Buffer.from(text, "utf8"), sig)).toBe(true);
    const sig2 = signBytes(pem.priv, Buffer.from(text, "utf8"));
    expect(verifyBytes(key.publicKey, text, sig2)).toBe(true);
  });

  it("is ECDSA: two signatures of the same bytes differ, both verify", () => {
    const a = signBytes(key.privateKey, "x");
    const b = signBytes(key.privateKey, "x");
    expect(a).not.toBe(b);
    expect(verifyBytes(key.publicKey, "x", a) && verifyBytes(key.publicKey, "x", b)).toBe(true);
  });

  it("is false for other bytes, even one changed character or added whitespace", () => {
    const sig = signBytes(key.privateKey, '{"replicas":3}');
    expect(verifyBytes(key.publicKey, '{"replicas":4}', sig)).toBe(false);
    expect(verifyBytes(key.publicKey, '{"replicas":3} ', sig)).toBe(false);
    expect(verifyBytes(key.publicKey, '{ "replicas":3}', sig)).toBe(false);
  });

  it("is false with the wrong key", () => {
    const sig = signBytes(key.privateKey, "payload");
    expect(verifyBytes(other.publicKey, "payload", sig)).toBe(false);
    expect(verifyBytes(pem.otherPub, "payload", sig)).toBe(false);
  });

  it.each([
    ["empty", ""],
    ["garbage base64", "AAAA"],
    ["not base64", "%%%not-base64%%%"],
    ["a truncated signature", () => signBytes(key.privateKey, "payload").slice(0, 40)],
    ["a signature with a flipped byte", () => {
      const b = Buffer.from(signBytes(key.privateKey, "payload"), "base64");
      b[b.length - 1] = b[b.length - 1]! ^ 0x01;
      return b.toString("base64");
    }],
  ])("is false (no throw) for %s", (_name, s) => {
    const sig = typeof s === "function" ? s() : s;
    expect(() => verifyBytes(key.publicKey, "payload", sig)).not.toThrow();
    expect(verifyBytes(key.publicKey, "payload", sig)).toBe(false);
  });

  it.each([
    ["not PEM", "hello"],
    ["empty", ""],
    ["a truncated PEM", pem.pub.slice(0, 60)],
    ["a PEM around garbage", `-----BEGIN PUBLIC KEY-----\n${Buffer.from("not a DER public key at all").toString("base64")}\n-----END PUBLIC KEY-----\n`],
    ["a private key's PEM", pem.priv.replace(/PRIVATE/g, "PUBLIC")],
  ])("is false (no throw) for a public key that is %s", (_name, k) => {
    const sig = signBytes(key.privateKey, "payload");
    expect(() => verifyBytes(k, "payload", sig)).not.toThrow();
    expect(verifyBytes(k, "payload", sig)).toBe(false);
  });

  it("is false (no throw) for a key of another type (Ed25519)", () => {
    const ed = generateKeyPairSync("ed25519");
    expect(verifyBytes(ed.publicKey, "payload", signBytes(key.privateKey, "payload"))).toBe(false);
  });
});

describe("helloBytes", () => {
  it("is the documented text, bound to the cluster and the challenge", () => {
    expect(helloBytes(CLUSTER, "chal-1").toString("utf8")).toBe(`neuralops-agent-hello\n${CLUSTER}\nchal-1`);
  });

  it("differs for a different cluster or challenge", () => {
    const base = helloBytes(CLUSTER, "chal-1");
    expect(helloBytes(CLUSTER, "chal-2").equals(base)).toBe(false);
    expect(helloBytes("7b2e4c1d-5f6a-4b3c-9d8e-1a2b3c4d5e6f", "chal-1").equals(base)).toBe(false);
    expect(helloBytes(CLUSTER, "chal-1").equals(base)).toBe(true);
  });

  it("cannot be shifted between fields (the separator keeps cluster and challenge apart)", () => {
    expect(helloBytes("ab", "c").equals(helloBytes("a", "bc"))).toBe(false);
  });

  it("a hello signed for one challenge does not verify for another", () => {
    const sig = signBytes(key.privateKey, helloBytes(CLUSTER, "chal-1"));
    expect(verifyBytes(key.publicKey, helloBytes(CLUSTER, "chal-1"), sig)).toBe(true);
    expect(verifyBytes(key.publicKey, helloBytes(CLUSTER, "chal-2"), sig)).toBe(false);
  });
});

describe("sha256Hex", () => {
  it("is the hex SHA-256 of the bytes", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex(Buffer.from("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});

describe("constants", () => {
  it("triggers live at most 5 minutes, with 30 s of skew tolerated", () => {
    expect(TRIGGER_MAX_TTL_MS).toBe(300_000);
    expect(CLOCK_SKEW_MS).toBe(30_000);
  });

  it("every k8s action is an agent action, and so is prometheus.query_range", () => {
    for (const a of AGENT_K8S_ACTIONS) expect(AGENT_ACTIONS).toContain(a);
    expect(AGENT_ACTIONS).toContain("prometheus.query_range");
    expect(new Set(AGENT_ACTIONS).size).toBe(AGENT_ACTIONS.length);
  });
});

describe("message schemas", () => {
  it("ZAgentMessage accepts each known type", () => {
    expect(ZAgentMessage.parse({ type: "heartbeat", running: 2 })).toEqual({ type: "heartbeat", running: 2 });
    expect(ZAgentMessage.safeParse({ type: "hello", clusterId: CLUSTER, signature: "abc", version: "0.1.0", allowlist: ["k8s.scale"] }).success).toBe(true);
    expect(ZAgentMessage.safeParse({ type: "accepted", nonce: "n" }).success).toBe(true);
    expect(ZAgentMessage.safeParse({ type: "result", nonce: "n", outcome: { ok: true, exitStatus: 0, summary: "ok" } }).success).toBe(true);
    expect(ZAgentMessage.safeParse({ type: "rejected", nonce: null, code: "malformed", reason: "x" }).success).toBe(true);
  });

  it("ZAgentMessage rejects an unknown or missing type", () => {
    expect(ZAgentMessage.safeParse({ type: "exec", command: "sh" }).success).toBe(false);
    expect(ZAgentMessage.safeParse({ type: "trigger", trigger: { payload: "{}", signature: "x" } }).success).toBe(false);
    expect(ZAgentMessage.safeParse({ running: 1 }).success).toBe(false);
  });

  it("ZAgentMessage rejects invalid fields of a known type", () => {
    expect(ZAgentMessage.safeParse({ type: "heartbeat", running: -1 }).success).toBe(false);
    expect(ZAgentMessage.safeParse({ type: "hello", clusterId: "prod", signature: "abc", version: "1", allowlist: [] }).success).toBe(false);
    expect(ZAgentMessage.safeParse({ type: "rejected", nonce: "n", code: "nope", reason: "x" }).success).toBe(false);
    expect(ZAgentMessage.safeParse({ type: "accepted", nonce: "n".repeat(129) }).success).toBe(false);
    expect(ZAgentMessage.safeParse({ type: "result", nonce: "n", outcome: { ok: true, exitStatus: 0.5, summary: "ok" } }).success).toBe(false);
  });

  it("ZServerMessage accepts a trigger and rejects unknown types", () => {
    expect(ZServerMessage.safeParse({ type: "trigger", trigger: { payload: "{}", signature: "sig" } }).success).toBe(true);
    expect(ZServerMessage.safeParse({ type: "welcome", clusterId: CLUSTER, heartbeatMs: 15_000 }).success).toBe(true);
    expect(ZServerMessage.safeParse({ type: "shell", cmd: "id" }).success).toBe(false);
    expect(ZServerMessage.safeParse({ type: "welcome", clusterId: CLUSTER, heartbeatMs: 0 }).success).toBe(false);
  });

  it("ZSignedTrigger bounds the payload and signature sizes", () => {
    expect(ZSignedTrigger.safeParse({ payload: "{}", signature: "s" }).success).toBe(true);
    expect(ZSignedTrigger.safeParse({ payload: "{", signature: "s" }).success).toBe(false);
    expect(ZSignedTrigger.safeParse({ payload: "x".repeat(64 * 1024 + 1), signature: "s" }).success).toBe(false);
    expect(ZSignedTrigger.safeParse({ payload: "{}", signature: "s".repeat(513) }).success).toBe(false);
  });
});

describe("clipOutcome", () => {
  const valid = (o: unknown) => ZAgentMessage.safeParse({ type: "result", nonce: "n", outcome: o }).success;

  it("leaves an outcome within the limits exactly as it was", () => {
    const o = { ok: true, exitStatus: 0, summary: "s".repeat(2000), error: "e".repeat(4000), output: { a: [1, 2], b: "x" } };
    expect(clipOutcome(o)).toEqual(o);
    expect(clipOutcome({ ok: false, exitStatus: 1, summary: "" })).toEqual({ ok: false, exitStatus: 1, summary: "" });
  });

  it("cuts summary and error to the schema's limits, marked, so the result validates", () => {
    const o = clipOutcome({ ok: false, exitStatus: 500, summary: "s".repeat(2001), error: "e".repeat(1e6) });
    expect(o.summary).toHaveLength(2000);
    expect(o.summary.endsWith(CLIPPED_MARK)).toBe(true);
    expect(o.error).toHaveLength(4000);
    expect(o.error!.endsWith(CLIPPED_MARK)).toBe(true);
    expect(valid(o)).toBe(true);
    expect(valid({ ...o, summary: "s".repeat(2001) })).toBe(false);
  });

  it("never splits a surrogate pair", () => {
    const o = clipOutcome({ ok: true, exitStatus: 0, summary: `${"a".repeat(2000 - CLIPPED_MARK.length - 1)}${"😀".repeat(10)}` });
    expect(o.summary).toBe(`${"a".repeat(2000 - CLIPPED_MARK.length - 1)}${CLIPPED_MARK}`);
    expect(o.summary).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("replaces an output over the byte limit (counted as sent: UTF-8 JSON) with a marked preview", () => {
    const output = { lines: ["é".repeat(600)] }; // 1,200 bytes in UTF-8, 600 characters
    const o = clipOutcome({ ok: true, exitStatus: 0, summary: "logs", output }, 1000);
    expect(o.output).toMatchObject({ clipped: true, bytes: Buffer.byteLength(JSON.stringify(output)) });
    expect((o.output as { preview: string }).preview.endsWith(CLIPPED_MARK)).toBe(true);
    expect(clipOutcome({ ok: true, exitStatus: 0, summary: "logs", output }, 1300).output).toEqual(output);
    // With the default limit a result message stays under the socket's limit.
    const big = clipOutcome({ ok: true, exitStatus: 0, summary: "s".repeat(9000), error: "\u0001".repeat(9000), output: { x: "y".repeat(MAX_MESSAGE_BYTES) } });
    expect(Buffer.byteLength(JSON.stringify({ type: "result", nonce: "n".repeat(128), outcome: big }))).toBeLessThan(MAX_MESSAGE_BYTES);
  });

  it("repairs fields a buggy action could produce, rather than have the result refused", () => {
    const o = clipOutcome({ ok: "yes" as unknown as boolean, exitStatus: 1.5, summary: undefined as unknown as string });
    expect(o).toEqual({ ok: false, exitStatus: 1, summary: "" });
    expect(valid(o)).toBe(true);
  });
});

describe("PRE_AUTH_MAX_MESSAGE_BYTES", () => {
  it("fits the largest hello the schema accepts (the gateway reads nothing larger before the hello verifies)", () => {
    const hello = { type: "hello", clusterId: "3f1c2b7e-9a4d-4e8b-8c1a-2d5e6f7a8b9c", signature: "s".repeat(512), version: "v".repeat(64), allowlist: Array.from({ length: 100 }, () => "k".repeat(100)) };
    expect(ZAgentMessage.safeParse(hello).success).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(hello))).toBeLessThan(PRE_AUTH_MAX_MESSAGE_BYTES);
    expect(ZAgentMessage.safeParse({ ...hello, allowlist: [...hello.allowlist.slice(1), "x"] }).success).toBe(true);
    expect(ZAgentMessage.safeParse({ ...hello, allowlist: [...hello.allowlist, "x"] }).success).toBe(false);
    expect(ZAgentMessage.safeParse({ ...hello, allowlist: ["\u00e9".repeat(100)] }).success).toBe(false);
  });
});
