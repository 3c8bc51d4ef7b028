import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { htmlPattern } from "./html-pattern";

// How the server checks a param (lib/orchestrator/params.ts) and how a browser checks <input pattern>.
const server = (p: string) => new RegExp(`^(?:${p})$`);
const browser = (p: string) => new RegExp(`^(?:${p})$`, "v");

const SAMPLES = [
  "",
  "a",
  "checkout",
  "check-out",
  "-checkout",
  "checkout-",
  "Checkout",
  "shop.example.com",
  "a..b",
  "https://argocd.example.com",
  "https://argocd.example.com:8443/api/v1",
  "http://argo_cd.example.com",
  "https://argocd.example.com/",
  "ftp://x",
  "5m",
  "30m",
  "31m",
  "v1.2.3_rc-1",
  "a/b",
  "a|b",
  "a~b",
  "x".repeat(70),
  "CHG-1234",
  "chg-1234",
  "with space",
  "ünïcode",
];

const catalogPatterns = (): string[] => {
  const dir = path.join(import.meta.dirname, "../../../../playbooks");
  const out = new Set<string>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml"))) {
    const doc = parse(readFileSync(path.join(dir, file), "utf8")) as { params?: Record<string, { pattern?: string }> };
    for (const spec of Object.values(doc.params ?? {})) if (spec.pattern) out.add(spec.pattern);
  }
  return [...out];
};

describe("htmlPattern", () => {
  it("gives every catalog pattern an attribute that accepts exactly what the server accepts", () => {
    const patterns = catalogPatterns();
    expect(patterns.length).toBeGreaterThan(3);
    for (const p of patterns) {
      const html = htmlPattern(p);
      expect(html, p).toBeDefined();
      for (const s of SAMPLES) expect(browser(html!).test(s), `${p} on ${JSON.stringify(s)}`).toBe(server(p).test(s));
    }
  });

  it("escapes literal punctuation inside classes and keeps ranges", () => {
    expect(htmlPattern("[a-z0-9-]+")).toBe("[a-z0-9\\-]+");
    expect(htmlPattern("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")).toBe("^[a-z0-9]([\\-a-z0-9]{0,61}[a-z0-9])?$");
    expect(htmlPattern("[A-Za-z0-9._~/-]*")).toBe("[A-Za-z0-9\\._\\~\\/\\-]*");
    expect(htmlPattern("[/!-~]+")).toBe("[\\/\\!-\\~]+");
    expect(htmlPattern("[\\w-]+")).toBe("[\\w\\-]+");
    for (const p of ["[a-z0-9-]+", "[/!-~]+", "[\\w-]+", "[^/|]+", "[(){}]"]) {
      for (const s of [...SAMPLES, "(", "}", "_", "-"]) expect(browser(htmlPattern(p)!).test(s), `${p} on ${JSON.stringify(s)}`).toBe(server(p).test(s));
    }
  });

  it("leaves patterns that already compile as they are", () => {
    expect(htmlPattern("^CHG-[0-9]+$")).toBe("^CHG-[0-9]+$");
    expect(htmlPattern("[a-z]+")).toBe("[a-z]+");
  });

  it("gives no attribute when the browser could not read it the server's way", () => {
    expect(htmlPattern(undefined)).toBeUndefined();
    expect(htmlPattern("")).toBeUndefined();
    // Identity escapes and a lone "{" are fine without flags, syntax errors with v.
    expect(htmlPattern("a\\_b")).toBeUndefined();
    expect(htmlPattern("a{")).toBeUndefined();
    expect(htmlPattern("[]a]")).toBeUndefined();
  });
});
