import { describe, expect, it } from "vitest";
import { matches, parseSelector, seriesKey } from "@/lib/monitors/selector";

describe("PromQL selector", () => {
  it("parses a metric name with every matcher type", () => {
    const m = parseSelector(`http_requests_total{job="api", code!="200", path=~"/v1/.*",method!~'GET|HEAD'}`)!;
    expect(m.map(({ name, op, value }) => [name, op, value])).toEqual([
      ["__name__", "=", "http_requests_total"],
      ["job", "=", "api"],
      ["code", "!=", "200"],
      ["path", "=~", "/v1/.*"],
      ["method", "!~", "GET|HEAD"],
    ]);
    expect(matches(m, { __name__: "http_requests_total", job: "api", code: "500", path: "/v1/x", method: "POST" })).toBe(true);
    expect(matches(m, { __name__: "http_requests_total", job: "api", code: "200", path: "/v1/x", method: "POST" })).toBe(false);
    expect(matches(m, { __name__: "http_requests_total", job: "api", code: "500", path: "/v2/x", method: "POST" })).toBe(false);
    expect(matches(m, { __name__: "http_requests_total", job: "api", code: "500", path: "/v1/x", method: "GET" })).toBe(false);
  });

  it("accepts a bare name, bare braces and escaped quotes; regexes are anchored", () => {
    expect(parseSelector("up")).toEqual([{ name: "__name__", op: "=", value: "up" }]);
    expect(parseSelector(`{__name__="up", a="x\\"y"}`)?.[1]?.value).toBe('x"y');
    expect(matches(parseSelector(`m{a=~"b"}`)!, { __name__: "m", a: "abc" })).toBe(false);
  });

  it("returns null for anything that is more than a selector", () => {
    for (const q of ["rate(x[5m])", "x + 1", "sum by (a) (x)", `x{a="b"`, `x{a=b}`, `x{a=~"("}`, ""]) expect(parseSelector(q), q).toBeNull();
  });

  it("seriesKey is independent of label order", () => {
    expect(seriesKey({ b: "1", a: "2" })).toBe(seriesKey({ a: "2", b: "1" }));
    expect(seriesKey({ a: "1,b=2" })).not.toBe(seriesKey({ a: "1", b: "2" }));
  });
});
