import { describe, expect, it } from "vitest";
import { hashToken, newToken, parseToken, sameHash } from "@/lib/tokens/token-format";

describe("token format", () => {
  it("round-trips: a new token parses to its prefix and hashes to its stored hash", () => {
    const t = newToken();
    expect(t.token).toMatch(/^nops_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}$/);
    expect(parseToken(t.token)).toEqual({ prefix: t.prefix });
    expect(sameHash(hashToken(t.token), t.hash)).toBe(true);
    // The secret is everything after the prefix (it may itself contain "_").
    expect(t.hash).not.toContain(t.token.slice("nops_".length + 12 + 1));
  });

  it("rejects malformed tokens", () => {
    for (const bad of ["", "nops_", "Bearer x", `nops_short_${"a".repeat(43)}`, `${newToken().token}x`]) {
      expect(parseToken(bad)).toBeNull();
    }
  });

  it("sameHash is false for different hashes and lengths", () => {
    expect(sameHash(hashToken("a"), hashToken("b"))).toBe(false);
    expect(sameHash("ab", hashToken("a"))).toBe(false);
  });
});
