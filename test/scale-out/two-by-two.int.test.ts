// Scale-out: 2 web processes and 2 worker processes on one PostgreSQL and one Redis, as in production.
// Under webhook load spread over both web processes — with the same delivery often sent to both at the same
// moment (Alertmanager HA pairs do exactly that) — and runs approved through both at once:
// - every acknowledged alert is exactly one signal; every group has exactly one open incident;
// - every approved run executes its step exactly once (one request reaches the target), whichever web
//   process took the approval and whichever worker took the job.
import "@/test/own-redis-prefix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { randomBytes } from "node:crypto";
import { db } from "@/lib/db";
import { requestRun } from "@/lib/orchestrator/request-run";
import { runDryRun } from "@/lib/orchestrator/dry-run";
import { allowTestEgress, makeActor, makeOrg } from "@/test/factories";
import { tokenFor } from "@/test/call-route";
import { playbookYaml, trustNewKey, uploadSigned } from "@/test/playbook-fixtures";
import { startTarget, type Target } from "@/test/target-server";
import { killAllWorkers, startWorker, stopWorker, until, type WorkerProc } from "@/test/worker-process";
import { killAllWebProcesses, startWebProcess } from "@/test/web-process";
import { deliveryOf } from "@/test/alerts";

let target: Target;
let webs: string[] = [];
let workers: WorkerProc[] = [];

beforeAll(async () => {
  target = await startTarget();
  const procs = [startWebProcess(), startWebProcess()];
  workers = [startWorker({}), startWorker({})];
  webs = await Promise.all(procs.map((p) => p.url));
  await Promise.all(workers.map((w) => w.started));
}, 120_000);

afterAll(async () => {
  await Promise.all(workers.map((w) => stopWorker(w)));
  killAllWorkers();
  killAllWebProcesses();
  await target?.close();
});

const post = async (url: string, token: string, body: unknown) => {
  const res = await fetch(url, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json().catch(() => null)) as unknown };
};

function delivery(fingerprints: string[], services: number) {
  return deliveryOf(
    fingerprints.map((fp, k) => ({
      labels: { alertname: "ScaleOut", service: `svc-${(fp.length * 31 + k) % services}`, instance: fp },
      annotations: { summary: `scale-out ${fp}` },
      startsAt: "2026-01-01T00:00:00Z",
      fingerprint: fp,
    })),
  );
}

describe("2 web + 2 worker processes", { timeout: 170_000 }, () => {
  it("ingest through both web processes: exactly-once signals and one open incident per group", async () => {
    const org = await makeOrg("scale-out");
    const token = await tokenFor(org.id, "operator", ["signals.ingest"]);
    const senders = 8;
    const perSender = 25;
    const acked = new Set<string>();
    const statuses = new Map<number, number>();
    const sent: string[][] = [];
    await Promise.all(
      Array.from({ length: senders }, async (_, s) => {
        for (let n = 0; n < perSender; n++) {
          const repeat = n % 3 === 2 && sent.length ? sent[(n * 7919 + s) % sent.length]! : null;
          const fps = repeat ?? Array.from({ length: 10 }, (_, k) => `so${s}-${n}-${k}`);
          const body = delivery(fps, 20);
          // Every other delivery goes to both web processes at the same moment (an Alertmanager HA pair).
          const targets = n % 2 === 0 ? webs : [webs[(s + n) % 2]!];
          for (;;) {
            const answers = await Promise.all(targets.map((w) => post(`${w}/api/v1/integrations/alertmanager`, token, body)));
            for (const a of answers) statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
            if (answers.some((a) => a.status >= 200 && a.status < 300)) break;
            await new Promise((r) => setTimeout(r, 100));
          }
          if (!repeat) sent.push(fps);
          for (const fp of fps) acked.add(fp);
        }
      }),
    );
    // 503 (overload, with Retry-After) is retried like Alertmanager does; any other 5xx is a defect.
    expect([...statuses.keys()].filter((s) => s >= 500 && s !== 503)).toEqual([]);

    const rows = await db.signal.groupBy({ by: ["fingerprint"], where: { orgId: org.id }, _count: { _all: true } });
    const duplicated = rows.filter((r) => r._count._all !== 1).length;
    const stored = new Set(rows.map((r) => r.fingerprint));
    expect({ signals: rows.length, duplicated, lost: [...acked].filter((fp) => !stored.has(fp)).length }).toEqual({ signals: acked.size, duplicated: 0, lost: 0 });

    const open = await db.incident.groupBy({ by: ["groupKey"], where: { orgId: org.id, status: { not: "resolved" } }, _count: { _all: true } });
    expect(open.length).toBeGreaterThan(1);
    expect(open.filter((g) => g._count._all !== 1)).toEqual([]);
    // Every signal belongs to an incident of its own org.
    expect(await db.signal.count({ where: { orgId: org.id, incidentId: null } })).toBe(0);
  });

  it("runs approved through both web processes at once execute their step exactly once", async () => {
    const org = await makeOrg("scale-out-runs");
    await allowTestEgress(org.id);
    const admin = await makeActor(org.id, "admin");
    const operator = await makeActor(org.id, "operator");
    const key = await trustNewKey(admin);
    const approvers = [await tokenFor(org.id, "approver"), await tokenFor(org.id, "approver")];
    const tag = randomBytes(3).toString("hex");
    const runs: { id: string; path: string }[] = [];
    for (let i = 0; i < 12; i++) {
      const name = `scale-${tag}-${i}`;
      const path = `/scale-${tag}-${i}`;
      // Non-idempotent (POST) on purpose: a second execution would be a second request.
      await uploadSigned(admin, playbookYaml(name, "low", [{ id: "act", action: "http", with: { url: `${target.url}${path}`, method: "POST" } }]), key.sign);
      const run = await requestRun({ actor: operator, input: { playbook: name } });
      await runDryRun(run.id);
      runs.push({ id: run.id, path });
    }
    // Both approvers approve each run at the same moment, each through a different web process.
    const answers = await Promise.all(runs.flatMap((r) => approvers.map((t, k) => post(`${webs[k]}/api/v1/runs/${r.id}/approve`, t, {}))));
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(runs.length);

    const finished = await until(
      "every run to finish",
      async () => {
        const rows = await db.run.findMany({ where: { id: { in: runs.map((r) => r.id) } }, select: { status: true } });
        return rows.every((r) => ["succeeded", "failed"].includes(r.status)) && rows;
      },
      90_000,
      250,
    );
    expect(finished.map((r) => r.status)).toEqual(runs.map(() => "succeeded"));
    // Give a duplicate execution time to show itself, then count what reached the target.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(runs.map((r) => target.calls(r.path).length)).toEqual(runs.map(() => 1));
    const steps = await db.runStep.groupBy({ by: ["runId", "stepId"], where: { runId: { in: runs.map((r) => r.id) } }, _count: { _all: true } });
    expect(steps.length).toBe(runs.length);
    expect(steps.filter((s) => s._count._all !== 1)).toEqual([]);
    // Both workers were alive throughout.
    expect(workers.map((w) => w.child.exitCode)).toEqual([null, null]);
  });
});
