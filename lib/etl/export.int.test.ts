// Exports against the real database: content and redaction, resumption after a crash mid-way (in
// process, and kill -9 of a real worker process), and no duplicate or missing rows either way.
import "@/test/own-redis-prefix";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, appendFileSync, rmSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import { db } from "@/lib/db";
import type { Actor } from "@/lib/context";
import { createExport, getExport } from "@/lib/etl/manage-exports";
import { runExport } from "@/lib/etl/run-export";
import { exportPath } from "@/lib/etl/export-file";
import { ingestAlertmanagerWebhook } from "@/lib/incidents/alertmanager";
import { makeActor, makeOrg } from "@/test/factories";
import { playbookYaml } from "@/test/playbook-fixtures";
import { uploadPlaybook } from "@/lib/playbooks/save-playbook";
import { updateOrchestratorSettings } from "@/lib/orchestrator/settings";
import { kill9, killAllWorkers, startWorker, stopWorker, until } from "@/test/worker-process";

const dir = mkdtempSync(path.join(tmpdir(), "nops-exports-"));
process.env.EXPORT_DIR = dir;
afterAll(() => {
  killAllWorkers();
  rmSync(dir, { recursive: true, force: true });
});

function readLines(fileName: string, gzip: boolean): Array<Record<string, unknown>> {
  const raw = readFileSync(exportPath(fileName));
  const text = (gzip ? gunzipSync(raw) : raw).toString("utf8");
  return text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** `n` runs (two steps each) created straight in SQL, one second apart: realistic rows, fast. */
async function generateRuns(admin: Actor, n: number) {
  const name = `gen-${Math.random().toString(36).slice(2, 8)}`;
  await updateOrchestratorSettings({ actor: admin, input: { allowUnsignedPlaybooks: true } });
  await uploadPlaybook({ actor: admin, input: { source: playbookYaml(name, "low", [{ id: "w", action: "wait", with: { duration: "1s" } }]) } });
  const version = await db.playbookVersion.findFirstOrThrow({ where: { orgId: admin.orgId, playbook: { name } } });
  await db.$executeRaw`
    INSERT INTO "Run" (id, "orgId", "playbookVersionId", "playbookName", status, risk, "requiredApprovals", params, reason,
                       "requestedById", "requestedByType", "requestedByLabel", "createdAt", "updatedAt", error)
    SELECT gen_random_uuid(), ${admin.orgId}::uuid, ${version.id}::uuid, ${name}, 'failed', 'low', 1,
           jsonb_build_object('service', 'svc-' || (g % 50), 'replicas', g % 7),
           'paged by oncall-' || (g % 9) || '@example.com from 10.0.' || (g % 250) || '.' || (g % 200),
           'user:x', 'user', 'op@example.com', now() - make_interval(secs => ${n} - g), now(),
           'connection refused by 10.1.2.' || (g % 200) || ':5432'
    FROM generate_series(1, ${n}) g`;
  await db.$executeRaw`
    INSERT INTO "RunStep" (id, "orgId", "runId", idx, "stepId", action, status, attempts, "idempotencyKey", output, "updatedAt")
    SELECT gen_random_uuid(), r."orgId", r.id, s.idx, 'step' || s.idx, 'http', 'succeeded', 1, 'nops-' || r.id || '-' || s.idx,
           jsonb_build_object('status', 200, 'body', 'ok for ' || r.id), now()
    FROM "Run" r CROSS JOIN generate_series(0, 1) AS s(idx) WHERE r."orgId" = ${admin.orgId}::uuid`;
}

let admin: Actor;
let operator: Actor;
beforeAll(async () => {
  const org = await makeOrg("etl");
  admin = await makeActor(org.id, "admin");
  operator = await makeActor(org.id, "operator");
});

describe("export", () => {
  it("writes incidents and runs as redacted JSONL with a report, a digest and audit events", async () => {
    const org = await makeOrg("etl-content");
    const a = await makeActor(org.id, "admin");
    await ingestAlertmanagerWebhook({
      actor: a,
      payload: {
        version: "4",
        status: "firing",
        receiver: "neuralops",
        groupKey: "{}:{alertname=\"HighErrorRate\"}",
        groupLabels: { alertname: "HighErrorRate" },
        commonLabels: {},
        commonAnnotations: {},
        externalURL: "http://alertmanager:9093",
        alerts: [
          {
            status: "firing",
            labels: { alertname: "HighErrorRate", service: "checkout", instance: "10.0.3.17:8080", severity: "critical" },
            annotations: { summary: "5xx above 5% on checkout-7d9f8b6c5-x2k4q", description: "reported by jane.doe@example.com, call +1 415-555-0134, client 81.2.69.160" },
            startsAt: new Date(Date.now() - 60_000).toISOString(),
            endsAt: "0001-01-01T00:00:00Z",
            generatorURL: "http://prometheus:9090/graph",
            fingerprint: "abc123def4567890",
          },
        ],
      } as never,
    });
    await generateRuns(a, 25);

    const exp = await createExport({ actor: a, input: { gzip: false } });
    expect(exp.status).toBe("queued");
    const result = await runExport(exp.id, { batchSize: 7 });
    expect(result).toMatchObject({ status: "succeeded", rows: 26 });

    const done = await getExport({ actor: a, id: exp.id });
    expect(done).toMatchObject({ status: "succeeded", rowsDone: 26, rowsTotal: 26, progress: 1 });
    const lines = readLines(done.fileName!, false);
    expect(lines.filter((l) => l.type === "incident")).toHaveLength(1);
    expect(lines.filter((l) => l.type === "run")).toHaveLength(25);
    const text = JSON.stringify(lines);
    for (const pii of ["jane.doe@example.com", "415-555-0134", "81.2.69.160", "op@example.com", "oncall-1@example.com"]) expect(text).not.toContain(pii);
    expect(text).toContain("checkout-7d9f8b6c5-x2k4q"); // operational identifiers stay
    expect(text).toContain("10.0.3.17:8080"); // and so do private addresses, unless the org masks them (redaction-settings.int.test.ts)
    expect(text).toMatch(/<email:[0-9a-f]{8}>/);
    // The same address gives the same placeholder everywhere in the export.
    const requesters = new Set(lines.filter((l) => l.type === "run").map((l) => l.requestedBy));
    expect(requesters.size).toBe(1);
    expect(done.report).toMatchObject({ rowsByKind: { incidents: 1, runs: 25 } });
    expect((done.report as { redactions: Record<string, number> }).redactions.email).toBeGreaterThanOrEqual(26);
    expect(done.sha256).toBe(createHash("sha256").update(readFileSync(exportPath(done.fileName!))).digest("hex"));
    const actions = (await db.auditEvent.findMany({ where: { orgId: org.id, targetId: exp.id }, orderBy: { seq: "asc" } })).map((e) => e.action);
    expect(actions).toEqual(["export.requested", "export.started", "export.succeeded"]);
  });

  it("resumes after a crash mid-way: bytes written after the last checkpoint are cut, no row twice or missing", async () => {
    await generateRuns(admin, 300);
    const ids = (await db.run.findMany({ where: { orgId: admin.orgId }, select: { id: true } })).map((r) => r.id);
    const exp = await createExport({ actor: operator, input: { kinds: ["runs"], gzip: true } });
    const abort = new AbortController();
    let batches = 0;
    const spy = setInterval(async () => {
      const e = await db.export.findUnique({ where: { id: exp.id } });
      if (e && e.rowsDone >= 100 && batches++ === 0) abort.abort(new Error("simulated crash"));
    }, 5);
    await expect(runExport(exp.id, { batchSize: 20, signal: abort.signal })).rejects.toThrow(/simulated crash/);
    clearInterval(spy);
    const mid = await db.export.findUniqueOrThrow({ where: { id: exp.id } });
    expect(mid.status).toBe("running");
    expect(mid.rowsDone).toBeGreaterThan(0);
    expect(mid.rowsDone).toBeLessThan(300);
    // What a worker killed between writing and committing leaves behind.
    appendFileSync(exportPath(mid.fileName!), Buffer.from("half a batch that was never committed\n"));

    await runExport(exp.id, { batchSize: 20 });
    const done = await db.export.findUniqueOrThrow({ where: { id: exp.id } });
    expect(done.status).toBe("succeeded");
    expect(done.attempts).toBe(1);
    const lines = readLines(done.fileName!, true);
    const exported = lines.map((l) => l.id as string);
    expect(exported).toHaveLength(ids.length);
    expect(new Set(exported).size).toBe(ids.length);
    expect(new Set(exported)).toEqual(new Set(ids));
  });

  it("survives kill -9 of the worker process mid-way", { timeout: 120_000 }, async () => {
    const org = await makeOrg("etl-kill");
    const a = await makeActor(org.id, "admin");
    await generateRuns(a, 20_000);
    const exp = await createExport({ actor: a, input: { kinds: ["runs"], gzip: true } });

    const first = startWorker({ WORKER_QUEUES: "etl:1", EXPORT_DIR: dir });
    await first.started;
    const mid = await until("the export to be part-way", async () => {
      const e = await db.export.findUnique({ where: { id: exp.id } });
      return e && e.rowsDone >= 2_000 ? e : undefined;
    }, 60_000, 20);
    await kill9(first);
    const atKill = await db.export.findUniqueOrThrow({ where: { id: exp.id } });
    expect(atKill.status).toBe("running");
    expect(atKill.rowsDone).toBeLessThan(20_000);

    const second = startWorker({ WORKER_QUEUES: "etl:1", EXPORT_DIR: dir });
    await second.started;
    const done = await until("the export to finish", async () => {
      const e = await db.export.findUnique({ where: { id: exp.id } });
      return e?.status === "succeeded" || e?.status === "failed" ? e : undefined;
    }, 90_000, 100);
    await stopWorker(second);

    expect(done.status).toBe("succeeded");
    expect(mid.rowsDone).toBeGreaterThan(0);
    const exported = readLines(done.fileName!, true).map((l) => l.id as string);
    const ids = (await db.run.findMany({ where: { orgId: org.id }, select: { id: true } })).map((r) => r.id);
    expect(exported).toHaveLength(20_000);
    expect(new Set(exported).size).toBe(20_000);
    expect(new Set(exported)).toEqual(new Set(ids));
    expect(done.attempts).toBeGreaterThanOrEqual(1); // it was resumed, not restarted
  });
});
