// `npm run cli -- redact`: stdin lines → redacted stdout lines, same order, one for one; JSON lines keep
// their structure with every string value redacted; placeholders are keyed per organization.
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { makeOrg } from "@/test/factories";

function redact(input: string, org: string) {
  const r = spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", "redact", "--org", org], { input, encoding: "utf8", env: process.env });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe("npm run cli -- redact", () => {
  it("redacts line by line, keeps order and line count, and handles JSON lines", async () => {
    const org = await makeOrg("redact");
    const lines = [
      "2026-11-27T10:00:01Z ERROR login failed for jane.doe@example.com from 203.0.113.9 (pod checkout-7d9f8b6c5-x2k4q, p99 812ms)",
      "",
      '{"user":"jane.doe@example.com","attempts":3,"nested":{"card":"4111 1111 1111 1111","note":"retry in 30s"},"ok":false}',
      "nothing to see here: http_requests_total{code=\"503\"} rose 12% after v2.14.1 (commit 3f2a9c1)",
      "{not json but starts like it, call +1 415-555-0134",
      "Authorization: Bearer abcdefghijklmnopqrstuvwx0123456789",
    ];
    const r = redact(lines.join("\n") + "\n", org.slug);
    expect(r.code).toBe(0);
    const out = r.out.split("\n");
    expect(out.at(-1)).toBe("");
    out.pop();
    expect(out).toHaveLength(lines.length);
    expect(out[0]).toMatch(/^2026-11-27T10:00:01Z ERROR login failed for <email:[0-9a-f]{8}> from <ipv4:[0-9a-f]{8}> \(pod checkout-7d9f8b6c5-x2k4q, p99 812ms\)$/);
    expect(out[1]).toBe("");
    const json = JSON.parse(out[2]!);
    expect(json.attempts).toBe(3);
    expect(json.ok).toBe(false);
    expect(json.user).toMatch(/^<email:[0-9a-f]{8}>$/);
    expect(json.nested.card).toMatch(/^<card:[0-9a-f]{8}>$/);
    expect(json.nested.note).toBe("retry in 30s");
    expect(out[0]).toContain(json.user); // same person, same placeholder
    expect(out[3]).toBe(lines[3]);
    expect(out[4]).toMatch(/<phone:[0-9a-f]{8}>/);
    expect(out[5]).toMatch(/^Authorization: Bearer <bearer:[0-9a-f]{8}>$/);
    expect(r.err).toMatch(/redacted: .*email 2/);

    // Another organization's key gives other placeholders for the same value.
    const other = await makeOrg("redact-other");
    expect(redact(lines[0]! + "\n", other.slug).out.split("\n")[0]).not.toBe(out[0]);
  });
});
