import { describe, expect, it, vi } from "vitest";

/** The cookies next-auth sets when the browser asks for a CSRF token, with NEXTAUTH_URL as given. */
async function csrfCookies(nextAuthUrl: string) {
  vi.resetModules(); // lib/env reads the environment once per module instance
  process.env.NEXTAUTH_URL = nextAuthUrl;
  process.env.NEXTAUTH_SECRET ??= "unit-test-secret-0123456789abcdef";
  const { authOptions } = await import("@/lib/auth/options");
  const { default: NextAuth } = await import("next-auth");
  // next-auth's pages-API form of the handler runs without a Next request context.
  const headers = new Map<string, unknown>();
  const res = {
    status: () => res,
    setHeader: (k: string, v: unknown) => void headers.set(k.toLowerCase(), v),
    getHeader: (k: string) => headers.get(k.toLowerCase()),
    send: () => res,
    json: () => res,
    end: () => res,
  };
  await NextAuth({ query: { nextauth: ["csrf"] }, method: "GET", headers: {}, cookies: {} } as never, res as never, authOptions);
  return ([headers.get("set-cookie") ?? []].flat() as string[]).map((c) => ({ name: c.slice(0, c.indexOf("=")), secure: /;\s*Secure/i.test(c) }));
}

describe("next-auth cookies", () => {
  it("are Secure (and __Host-/__Secure- prefixed) when NEXTAUTH_URL is https", async () => {
    const cookies = await csrfCookies("https://neuralops.example.com");
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) {
      expect(c.secure, c.name).toBe(true);
      expect(c.name).toMatch(/^__(Host|Secure)-/);
    }
  });

  it("stay usable on plain http://localhost (npm run up)", async () => {
    const cookies = await csrfCookies("http://localhost:3000");
    expect(cookies.length).toBeGreaterThan(0);
    for (const c of cookies) expect(c.secure, c.name).toBe(false);
  });
});
