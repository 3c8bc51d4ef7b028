// On-call configuration as code against the real database: a first apply creates everything, a second
// changes nothing, one edited step is one update, prune deletes what the file no longer names (but never
// a silence someone made by hand), and the CLI prints the dry run and applies only with --yes.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/context";
import { openSecrets } from "@/lib/oncall/channel-config";
import { createSilence, listSilences } from "@/lib/oncall/manage-silences";
import { loadOncallFile } from "@/lib/oncall/config/load-file";
import { planOncallConfig, type Plan } from "@/lib/oncall/config/plan-config";
import { applyOncallPlan } from "@/lib/oncall/config/apply-config";
import { formatPlan } from "@/lib/oncall/config/format-plan";
import { verifyAuditChain } from "@/lib/audit/verify-audit-chain";
import { makeActor, makeOrg } from "@/test/factories";

const dir = mkdtempSync(path.join(tmpdir(), "nops-oncall-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SECRET = `whsec_${Buffer.alloc(32, 1).toString("base64")}`;

async function setup() {
  const org = await makeOrg("occ");
  const [lead, ana, ben] = [await makeActor(org.id, "admin"), await makeActor(org.id, "operator"), await makeActor(org.id, "viewer")];
  return { org, actor: systemActor("oncall-apply", org.id), lead, ana, ben };
}

/** The file of the tests; `edit` changes the parsed object before it is written as YAML (JSON is YAML). */
function config(t: { lead: Actor; ana: Actor; ben: Actor }, edit: (f: Record<string, any>) => void = () => {}) {
  const f: Record<string, any> = {
    channels: [
      { name: "ops-hook", type: "webhook", url: "https://hooks.example.com/a", signingSecret: "${HOOK_SECRET}" },
      { name: "slack-ops", type: "slack", channel: "#ops", botToken: "${SLACK_TOKEN}" },
      { name: "mail", type: "email", to: ["oncall@example.com"] },
    ],
    schedules: [
      {
        name: "primary",
        timeZone: "Europe/Berlin",
        layers: [{ rotation: "weekly", handoffWeekday: 1, handoffTime: "09:00", startsAt: "2026-01-05T09:00:00+01:00", participants: [t.ana.label, t.ben.label] }],
      },
    ],
    policies: [
      {
        name: "payments",
        steps: [
          { afterMinutes: 0, targets: [{ channel: "ops-hook" }, { schedule: "primary", via: ["slack-ops"] }] },
          { afterMinutes: 5, targets: [{ user: t.lead.label }] },
        ],
        repeat: 1,
      },
      { name: "catch-all", steps: [{ afterMinutes: 0, targets: [{ channel: "mail" }] }] },
    ],
    routes: [
      { name: "payments", matchers: ['team="payments"', 'severity=~"critical|warning"'], policy: "payments" },
      { name: "default", isDefault: true, policy: "catch-all" },
    ],
    silences: [{ comment: "db maintenance", matchers: ['service="postgres"'], endsAt: "2099-01-01T00:00:00Z", recurrence: { days: ["tue"], start: "22:00", end: "02:00", timeZone: "Europe/Paris" } }],
    inhibitionRules: [{ name: "node down", sourceMatchers: ['alertname="NodeDown"'], targetMatchers: ['alertname=~"Pod.*"'], equal: ["node"] }],
  };
  edit(f);
  return JSON.stringify(f, null, 2);
}

const ENV = { HOOK_SECRET: SECRET, SLACK_TOKEN: "xoxb-first" };

async function plan(actor: Actor, text: string, env: Record<string, string> = ENV) {
  return planOncallConfig({ actor, loaded: loadOncallFile(text, env) });
}
async function apply(actor: Actor, p: Plan) {
  const r = await applyOncallPlan({ actor, plan: p });
  expect(r.failed?.error.message ?? null).toBeNull();
  return r;
}
const summary = (p: Plan) => p.changes.map((c) => `${c.action} ${c.kind} ${c.name}`);

describe("oncall apply", () => {
  it("creates everything, then a second apply changes nothing", async () => {
    const t = await setup();
    const first = await plan(t.actor, config(t));
    expect(summary(first)).toEqual([
      "create channels ops-hook",
      "create channels slack-ops",
      "create channels mail",
      "create schedules primary",
      "create policies payments",
      "create policies catch-all",
      "create routes payments",
      "create routes default",
      "create inhibitionRules node down",
      "create silences db maintenance",
    ]);
    await apply(t.actor, first);

    const policy = await db.escalationPolicy.findFirstOrThrow({ where: { orgId: t.org.id, name: "payments" }, include: { steps: { orderBy: { position: "asc" } } } });
    const channels = new Map((await db.notificationChannel.findMany({ where: { orgId: t.org.id } })).map((c) => [c.name, c]));
    const schedule = await db.schedule.findFirstOrThrow({ where: { orgId: t.org.id, name: "primary" }, include: { layers: true } });
    expect(policy.steps.map((s) => [s.afterSeconds, s.targets])).toEqual([
      [0, [{ channel: channels.get("ops-hook")!.id }, { schedule: schedule.id, via: [channels.get("slack-ops")!.id] }]],
      [300, [{ user: t.lead.id }]],
    ]);
    expect(schedule.layers[0]!.participants).toEqual([t.ana.id, t.ben.id]);
    expect(openSecrets(channels.get("ops-hook")!.secretsSealed)).toEqual({ signingSecret: SECRET });
    expect((await db.alertRoute.findMany({ where: { orgId: t.org.id }, orderBy: { position: "asc" } })).map((r) => [r.name, r.position, r.isDefault])).toEqual([
      ["payments", 0, false],
      ["default", 1, true],
    ]);
    expect((await listSilences({ actor: t.lead })).map((s) => [s.comment, s.createdBy, s.state])).toEqual([["db maintenance", "system:oncall-apply", expect.any(String)]]);

    const second = await plan(t.actor, config(t));
    expect(second.changes).toEqual([]);
    expect(second.unchanged).toHaveLength(10);
    expect(formatPlan(second)).toContain("Plan: 0 to create, 0 to update, 0 to delete, 10 unchanged.");
    // Every change went through the audited lib functions.
    const audit = await db.auditEvent.findMany({ where: { orgId: t.org.id, actorLabel: "system:oncall-apply" }, select: { action: true } });
    expect(audit).toHaveLength(10);
    expect((await verifyAuditChain(t.org.id)).ok).toBe(true);
  });

  it("one changed step is one update, naming what changed; a changed credential says so without its value", async () => {
    const t = await setup();
    await apply(t.actor, await plan(t.actor, config(t)));
    const edited = config(t, (f) => (f.policies[0].steps[1].afterMinutes = 10));
    const p = await plan(t.actor, edited, { ...ENV, SLACK_TOKEN: "xoxb-rotated" });
    expect(summary(p)).toEqual(["update channels slack-ops", "update policies payments"]);
    expect(p.changes[0]!.details).toEqual(["credentials changed: botToken"]);
    expect(p.changes[1]!.details).toEqual(["steps[1].afterMinutes: 5 → 10"]);
    expect(formatPlan(p)).not.toContain("xoxb");
    await apply(t.actor, p);
    const steps = await db.escalationStep.findMany({ where: { policy: { orgId: t.org.id, name: "payments" } }, orderBy: { position: "asc" } });
    expect(steps.map((s) => s.afterSeconds)).toEqual([0, 600]);
    expect((await plan(t.actor, edited, { ...ENV, SLACK_TOKEN: "xoxb-rotated" })).changes).toEqual([]);
  });

  it("leaves what the file does not name alone, and with prune deletes it (silences made by hand are never touched)", async () => {
    const t = await setup();
    await apply(t.actor, await plan(t.actor, config(t)));
    const byHand = await createSilence({ actor: t.ana, input: { matchers: [{ label: "service", op: "=", value: "web" }], endsAt: new Date(Date.now() + 3600_000), comment: "deploy in progress" } });
    const smaller = (f: Record<string, any>) => {
      f.channels = f.channels.filter((c: { name: string }) => c.name !== "mail");
      f.policies = f.policies.filter((p: { name: string }) => p.name !== "catch-all");
      f.routes = [{ ...f.routes[0], isDefault: false }];
      f.silences = [];
      delete f.inhibitionRules;
    };
    const without = await plan(t.actor, config(t, smaller));
    expect(without.changes).toEqual([]);

    const pruning = await plan(t.actor, config(t, (f) => (smaller(f), (f.prune = true))));
    expect(summary(pruning)).toEqual(["delete routes default", "delete silences db maintenance", "delete policies catch-all", "delete channels mail"]);
    expect(formatPlan(pruning)).toContain('- expire silence "db maintenance"');
    await apply(t.actor, pruning);
    expect(await db.alertRoute.count({ where: { orgId: t.org.id } })).toBe(1);
    expect(await db.notificationChannel.count({ where: { orgId: t.org.id, name: "mail" } })).toBe(0);
    // The section left out was not managed.
    expect(await db.inhibitionRule.count({ where: { orgId: t.org.id } })).toBe(1);
    expect((await listSilences({ actor: t.lead })).map((s) => s.id)).toEqual([byHand.id]);
    expect((await plan(t.actor, config(t, (f) => (smaller(f), (f.prune = true))))).changes).toEqual([]);
  });

  it("a new default route replaces the old one in one apply; names that do not exist are refused with their lines", async () => {
    const t = await setup();
    await apply(t.actor, await plan(t.actor, config(t)));
    const swapped = await plan(
      t.actor,
      config(t, (f) => {
        f.routes = [{ name: "fallback", isDefault: true, policy: "payments" }, f.routes[0]];
        f.prune = true;
        delete f.silences;
      }),
    );
    // The old default goes first: an organization has one default route at a time.
    expect(summary(swapped)).toEqual(["delete routes default", "create routes fallback", "update routes payments"]);
    await apply(t.actor, swapped);
    expect((await db.alertRoute.findMany({ where: { orgId: t.org.id }, orderBy: { position: "asc" } })).map((r) => [r.name, r.isDefault])).toEqual([
      ["fallback", true],
      ["payments", false],
    ]);

    const text = config(t, (f) => {
      f.policies[0].steps[1].targets = [{ user: "nobody@example.com" }, { channel: "missing" }];
      f.routes[0].policy = "nope";
    });
    const err = (await plan(t.actor, text).then(
      () => null,
      (e: unknown) => e,
    )) as { code: string; details: { path: (string | number)[]; line: number }[] };
    expect(err).toMatchObject({ code: "validation_failed" });
    const lines = text.split("\n");
    expect(err.details.map((d) => [d.path.join("."), lines[d.line - 1]!.trim()])).toEqual([
      ["policies.0.steps.1.targets.0.user", '"user": "nobody@example.com"'],
      ["policies.0.steps.1.targets.1.channel", '"channel": "missing"'],
      ["routes.0.policy", '"policy": "nope"'],
      // "fallback" is the default route now, and this file neither names it nor prunes.
      ["routes.1.isDefault", '"isDefault": true,'],
    ]);
  });

  it("a webhook channel without a secret in the file gets one, shown once and kept on later applies", async () => {
    const t = await setup();
    const text = config(t, (f) => {
      delete f.channels[0].signingSecret;
    });
    const first = await apply(t.actor, await plan(t.actor, text));
    const shown = first.applied.find((a) => a.change.name === "ops-hook")!.secret!;
    expect(shown).toMatch(/^whsec_/);
    expect(first.applied.filter((a) => a.secret)).toHaveLength(1);
    expect((await plan(t.actor, text)).changes).toEqual([]);
    const row = await db.notificationChannel.findFirstOrThrow({ where: { orgId: t.org.id, name: "ops-hook" } });
    expect(openSecrets(row.secretsSealed).signingSecret).toBe(shown);
  });
});

// Each CLI start compiles the CLI with tsx (several seconds on a busy 2-core machine): these get minutes, not 30 s.
describe("npm run cli -- oncall apply", { timeout: 180_000 }, () => {
  function cli(args: string[], env: Record<string, string> = ENV) {
    const r = spawnSync(process.execPath, ["--import", "tsx", "cli/main.ts", "oncall", "apply", ...args], { encoding: "utf8", env: { ...process.env, ...env } });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it("prints the dry run, applies only with --yes, then has nothing to do", async () => {
    const t = await setup();
    const slug = (await db.organization.findUniqueOrThrow({ where: { id: t.org.id } })).slug;
    const file = path.join(dir, `${slug}.yaml`);
    writeFileSync(file, config(t));

    const dry = cli([file, "--org", slug]);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`${file} → organization ${slug} (dry run)`);
    expect(dry.stdout).toContain('  + create channel "ops-hook" (webhook)');
    expect(dry.stdout).toContain("Plan: 10 to create, 0 to update, 0 to delete, 0 unchanged.");
    expect(dry.stdout).toContain("Nothing applied: run again with --yes to apply.");
    expect(await db.notificationChannel.count({ where: { orgId: t.org.id } })).toBe(0);

    const real = cli([file, "--org", slug, "--yes"]);
    expect(real.code, real.stderr).toBe(0);
    expect(real.stdout).toContain("Applied 10 changes.");
    expect(await db.notificationChannel.count({ where: { orgId: t.org.id } })).toBe(3);

    const again = cli([file, "--org", slug, "--yes"]);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("No changes.");
  });

  it("an invalid file exits 1 naming the file, the line and the problem", async () => {
    const t = await setup();
    const slug = (await db.organization.findUniqueOrThrow({ where: { id: t.org.id } })).slug;
    const file = path.join(dir, `bad-${slug}.yaml`);
    writeFileSync(file, ["policies:", "  - name: p", "    steps:", "      - afterMinutes: soon", "        targets: [{ channel: c }]"].join("\n"));
    const r = cli([file, "--org", slug, "--yes"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`${file}:4: policies[0].steps[0].afterMinutes:`);
    const missing = cli([file.replace(".yaml", ".env.yaml"), "--org", slug], {});
    expect(missing.code).not.toBe(0);
  });
});
