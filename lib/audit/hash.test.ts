import { describe, expect, it } from "vitest";
import { canonicalJson, toJson } from "@/lib/audit/canonical-json";
import { GENESIS_HASH, auditHash, type HashedEvent } from "@/lib/audit/hash";

const event: HashedEvent = {
  orgId: "o",
  seq: 1,
  actorType: "user",
  actorId: "u",
  actorLabel: "u@example.com",
  action: "token.created",
  targetType: "api_token",
  targetId: "t",
  data: { b: 1, a: [1, "x", null, { d: true, c: 0.5 }] },
  createdAt: new Date("2026-01-02T03:04:05.678Z"),
};

describe("canonicalJson", () => {
  it("sorts keys at every depth and drops undefined", () => {
    expect(canonicalJson({ b: 1, a: { d: [2, { z: 1, y: undefined }], c: "é" } })).toBe('{"a":{"c":"é","d":[2,{"z":1}]},"b":1}');
  });

  it("is insensitive to key order, as after a jsonb round trip", () => {
    expect(canonicalJson({ x: 1, y: { q: 2, p: 3 } })).toBe(canonicalJson({ y: { p: 3, q: 2 }, x: 1 }));
  });

  it("rejects values JSON cannot represent", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow();
    expect(() => canonicalJson(() => 1)).toThrow();
  });

  it("toJson turns dates into strings like the database will return them", () => {
    expect(toJson({ at: new Date("2026-01-01T00:00:00Z"), gone: undefined })).toEqual({ at: "2026-01-01T00:00:00.000Z" });
  });
});

describe("auditHash", () => {
  it("is SHA-256 hex and depends on the previous hash and on every field", () => {
    const h = auditHash(GENESIS_HASH, event);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash("f".repeat(64), event)).not.toBe(h);
    for (const change of [{ seq: 2 }, { action: "x" }, { actorId: "v" }, { actorLabel: "someone" }, { targetId: "u" }, { data: { b: 2 } }, { createdAt: new Date(0) }]) {
      expect(auditHash(GENESIS_HASH, { ...event, ...change })).not.toBe(h);
    }
  });

  it("is stable for the same content in another key order", () => {
    const reordered = { ...event, data: { a: [1, "x", null, { c: 0.5, d: true }], b: 1 } };
    expect(auditHash(GENESIS_HASH, reordered)).toBe(auditHash(GENESIS_HASH, event));
  });
});
