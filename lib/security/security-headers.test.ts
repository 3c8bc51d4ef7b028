import { describe, expect, it } from "vitest";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { NextConfig } from "next";
import { NextRequest } from "next/server";
import { proxy } from "@/proxy";

// next.config.js is plain JS (no types to import): load it as Next does.
const configUrl = pathToFileURL(path.join(import.meta.dirname, "../../next.config.js")).href;
const nextConfig = ((await import(configUrl)) as { default: NextConfig }).default;

const directives = (csp: string) => new Map(csp.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));

describe("security headers on every response (next.config.js)", () => {
  it("forbid framing and MIME sniffing and limit the referrer", async () => {
    const rules = await nextConfig.headers!();
    const all = rules.find((r) => r.source === "/:path*");
    const headers = Object.fromEntries(all!.headers.map((h) => [h.key.toLowerCase(), h.value]));
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    expect(headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
  });
});

describe("Content-Security-Policy on pages (proxy.ts)", () => {
  const signedIn = (path: string) => new NextRequest(`http://localhost:3000${path}`, { headers: { cookie: "next-auth.session-token=x" } });

  it("allows only this origin's scripts and the request's nonce, no eval, no framing", () => {
    const res = proxy(signedIn("/incidents"));
    const csp = res.headers.get("content-security-policy");
    expect(csp).toBeTruthy();
    const d = directives(csp!);
    const script = d.get("script-src")!;
    expect(script).toContain("'self'");
    expect(script.some((s) => /^'nonce-[A-Za-z0-9+/_-]+={0,2}'$/.test(s))).toBe(true);
    expect(script).not.toContain("'unsafe-eval'");
    expect(script).not.toContain("'unsafe-inline'");
    expect(d.get("frame-ancestors")).toEqual(["'none'"]);
    expect(d.get("object-src")).toEqual(["'none'"]);
    expect(d.get("base-uri")).toEqual(["'self'"]);
    expect(d.get("default-src")).toEqual(["'self'"]);
  });

  it("hands the same policy to the page render (Next reads the nonce from the request header), a new nonce each time", () => {
    const a = proxy(signedIn("/login"));
    expect(a.headers.get("x-middleware-request-content-security-policy")).toBe(a.headers.get("content-security-policy"));
    const b = proxy(signedIn("/login"));
    expect(b.headers.get("content-security-policy")).not.toBe(a.headers.get("content-security-policy"));
  });
});
