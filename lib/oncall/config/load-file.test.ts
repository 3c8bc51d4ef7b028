import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadOncallFile, type Issue } from "@/lib/oncall/config/load-file";
import { parseMatcher } from "@/lib/oncall/config/file-schema";
import { diffLines } from "@/lib/oncall/config/diff";

function issuesOf(text: string, env: Record<string, string> = {}): Issue[] {
  try {
    loadOncallFile(text, env);
  } catch (err) {
    return (err as { details: Issue[] }).details;
  }
  throw new Error("expected the file to be refused");
}

describe("matchers written the Alertmanager way", () => {
  it("reads every operator, quoted (with escapes) or not", () => {
    expect(parseMatcher('team="payments"')).toEqual({ label: "team", op: "=", value: "payments" });
    expect(parseMatcher('severity =~ "critical|warning"')).toEqual({ label: "severity", op: "=~", value: "critical|warning" });
    expect(parseMatcher('env!="prod \\"eu\\""')).toEqual({ label: "env", op: "!=", value: 'prod "eu"' });
    expect(parseMatcher("job!~node-.*")).toEqual({ label: "job", op: "!~", value: "node-.*" });
    expect(parseMatcher('team=""')).toEqual({ label: "team", op: "=", value: "" });
    expect(parseMatcher("no operator")).toBeNull();
    expect(parseMatcher('team="unterminated')).toBeNull();
  });

  it("an unreadable matcher or a bad regular expression points at its line", () => {
    const issues = issuesOf(["routes:", "  - name: r", "    policy: p", "    matchers:", '      - team="a"', "      - nonsense here", '      - x=~"("'].join("\n"));
    expect(issues).toEqual([
      expect.objectContaining({ path: ["routes", 0, "matchers", 1], line: 6, message: expect.stringContaining("not a matcher") }),
      expect.objectContaining({ path: ["routes", 0, "matchers", 2, "value"], line: 7, message: expect.stringContaining("RE2") }),
    ]);
  });
});

describe("loadOncallFile", () => {
  it("points each problem at its line, a missing field at its object", () => {
    const text = ["policies:", "  - name: p", "    steps:", "      - afterMinutes: -1", "        targets: [{ channel: hook }]", "schedules:", "  - name: s", "    layers: []"].join("\n");
    expect(issuesOf(text)).toEqual([
      expect.objectContaining({ path: ["policies", 0, "steps", 0, "afterMinutes"], line: 4 }),
      expect.objectContaining({ path: ["schedules", 0, "timeZone"], line: 7 }),
    ]);
  });

  it("reports YAML syntax errors and unknown keys with their lines", () => {
    expect(issuesOf("routes:\n  - name: [unclosed\n")[0]).toMatchObject({ line: expect.any(Number) });
    expect(issuesOf("prune: true\nchanels: []\n")).toEqual([expect.objectContaining({ line: 1, message: expect.stringContaining("chanels") })]);
  });

  it("takes ${VAR} from the environment as a plain value, and says which variable is missing where", () => {
    const text = ["channels:", "  - name: slack", "    type: slack", '    channel: "#ops"', "    botToken: ${SLACK_BOT_TOKEN}"].join("\n");
    // YAML syntax in a value stays text: it cannot add keys to the file.
    const loaded = loadOncallFile(text, { SLACK_BOT_TOKEN: "xoxb-1\nprune: true # {a: b}" });
    expect(loaded.file.channels![0]).toMatchObject({ type: "slack", botToken: "xoxb-1\nprune: true # {a: b}" });
    expect(loaded.file.prune).toBe(false);
    expect(loaded.warnings).toEqual([]);
    expect(issuesOf(text)).toEqual([expect.objectContaining({ line: 5, message: "environment variable SLACK_BOT_TOKEN is not set (referenced as ${SLACK_BOT_TOKEN})" })]);
  });

  it("warns (without stopping) when a credential is written inline", () => {
    const text = ["channels:", "  - name: pd", "    type: pagerduty", "    routingKey: R0UT1NGKEY", "  - name: mail", "    type: email", "    smtp: { host: smtp.example.com, password: hunter2 }"].join("\n");
    const { warnings } = loadOncallFile(text, {});
    expect(warnings).toEqual([
      expect.objectContaining({ path: ["channels", 0, "routingKey"], line: 4, message: expect.stringContaining("${PD_ROUTING_KEY}") }),
      expect.objectContaining({ path: ["channels", 1, "smtp", "password"], line: 7 }),
    ]);
  });

  it("refuses two objects of one kind with the same name, and two default routes", () => {
    const text = [
      "policies:",
      "  - { name: p, steps: [{ afterMinutes: 0, targets: [{ channel: c }] }] }",
      "  - { name: p, steps: [{ afterMinutes: 0, targets: [{ channel: c }] }] }",
      "routes:",
      "  - { name: a, policy: p, isDefault: true }",
      "  - { name: b, policy: p, isDefault: true }",
      "silences:",
      "  - { comment: same, matchers: ['a=\"b\"'], endsAt: '2099-01-01T00:00:00Z' }",
      "  - { comment: same, matchers: ['a=\"c\"'], endsAt: '2099-01-01T00:00:00Z' }",
    ].join("\n");
    expect(issuesOf(text).map((i) => [i.path.join("."), i.line])).toEqual([
      ["policies.1.name", 3],
      ["routes.1.isDefault", 6],
      ["silences.1.comment", 9],
    ]);
  });

  it("the example in deploy/ is valid", () => {
    const text = readFileSync(path.join(import.meta.dirname, "../../../deploy/oncall.example.yaml"), "utf8");
    const env = Object.fromEntries([...text.matchAll(/\$\{([A-Z_]+)\}/g)].map((m) => [m[1]!, m[1] === "OPS_WEBHOOK_SECRET" ? `whsec_${Buffer.alloc(32, 7).toString("base64")}` : "https://example.com/x"]));
    const { file, warnings } = loadOncallFile(text, env);
    expect(warnings).toEqual([]);
    expect(Object.keys(file).sort()).toEqual(["channels", "inhibitionRules", "policies", "prune", "routes", "schedules", "silences"]);
    expect(file.routes![0]!.matchers).toEqual([
      { label: "team", op: "=", value: "payments" },
      { label: "severity", op: "=~", value: "critical|warning" },
    ]);
  });
});

describe("diffLines", () => {
  it("names the leaves that differ, whatever the key order", () => {
    expect(diffLines({ a: 1, steps: [{ x: 5, t: ["a"] }] }, { steps: [{ t: ["a"], x: 10 }], a: 1 })).toEqual(["steps[0].x: 5 → 10"]);
    expect(diffLines({ steps: [1] }, { steps: [1, 2] })).toEqual(["steps: [1] → [1,2]"]);
    expect(diffLines({ a: "x" }, { a: "x", b: null })).toEqual([]);
  });
});
