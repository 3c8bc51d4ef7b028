import { describe, expect, it } from "vitest";
import { alertContext, safeHttpUrl } from "./alert-context";

describe("safeHttpUrl", () => {
  it("keeps http and https URLs", () => {
    expect(safeHttpUrl("https://runbooks.example.com/db#disk")).toBe("https://runbooks.example.com/db#disk");
    expect(safeHttpUrl(" http://prometheus:9090/graph?g0.expr=up ")).toBe("http://prometheus:9090/graph?g0.expr=up");
  });

  it("refuses script and other schemes, however they are spelled", () => {
    for (const bad of ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)", "java\tscript:alert(1)", "\u0000javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "vbscript:x", "file:///etc/passwd", "//evil.example/x", "/relative", "", "not a url"]) {
      expect(safeHttpUrl(bad), bad).toBeNull();
    }
    expect(safeHttpUrl(42)).toBeNull();
    expect(safeHttpUrl(null)).toBeNull();
  });
});

describe("alertContext", () => {
  const at = (m: number) => new Date(Date.UTC(2026, 0, 1, 0, m));

  it("collects distinct descriptions and links, newest signal first", () => {
    const ctx = alertContext([
      { startsAt: at(1), annotations: { description: "old text", runbook_url: "https://rb/1", generatorURL: "http://prom/g1" } },
      { startsAt: at(2), annotations: { description: "new text", runbook_url: "https://rb/1", generatorURL: "javascript:alert(1)" } },
      { startsAt: at(3), annotations: {} },
    ]);
    expect(ctx.descriptions).toEqual(["new text", "old text"]);
    expect(ctx.runbooks).toEqual([{ href: "https://rb/1", text: "https://rb/1" }]);
    expect(ctx.sources).toEqual([
      { href: null, text: "javascript:alert(1)" },
      { href: "http://prom/g1", text: "http://prom/g1" },
    ]);
  });

  it("ignores annotations that are not objects or not strings", () => {
    expect(alertContext([{ startsAt: at(1), annotations: null }, { startsAt: at(2), annotations: { description: 5, runbook_url: ["x"] } }])).toEqual({ descriptions: [], runbooks: [], sources: [] });
  });
});
