import { beforeAll, describe, expect, it } from "vitest";
import { open, seal } from "@/lib/crypto/secret-box";

describe("secret box", () => {
  beforeAll(() => {
    process.env.NEXTAUTH_SECRET = "unit-test-secret-0123456789abcdef";
  });

  it("round-trips, with a fresh IV each time", () => {
    const a = seal("prom-token-123");
    expect(a).not.toBe(seal("prom-token-123"));
    expect(a).not.toContain("prom-token-123");
    expect(open(a)).toBe("prom-token-123");
  });

  it("rejects tampering and foreign formats", () => {
    const parts = seal("x").split(".");
    parts[3] = Buffer.from("y").toString("base64url");
    expect(() => open(parts.join("."))).toThrow();
    expect(() => open("plain")).toThrow();
  });
});
