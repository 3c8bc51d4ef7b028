// `npm run bench:export -- [--runs 1000000] [--small 100000] [--batch 1000]`
// Export memory and speed: generates runs (two steps each, with PII in the text) straight in SQL on a
// throwaway database, then exports them through a real worker process (etl queue) twice — a small
// export and the big one — sampling the worker's RSS from /proc. Flat memory means the big export's peak
// RSS is about the small one's.
import { readFileSync } from "node:fs";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { throwawayEnvironment } from "../test/services";

const { values } = parseArgs({ options: { runs: { type: "string", default: "1000000" }, small: { type: "string", default: "100000" }, batch: { type: "string", default: "1000" } } });
const RUNS = Number(values.runs);
const SMALL = Number(values.small);

const exportDir = mkdtempSync(path.join(tmpdir(), "nops-bench-export-"));
const { prefix, drop } = await throwawayEnvironment();
process.env.EXPORT_DIR = exportDir;
process.env.NEXTAUTH_SECRET ??= "bench-secret-0123456789abcdef0123";

const { db } = await import("../lib/db");
const { closeRedis } = await import("../lib/redis");
const { closeQueues } = await import("../lib/jobs/queue");
const { ensureOrg } = await import("../lib/orgs/ensure-org");
const { createExport } = await import("../lib/etl/manage-exports");
const { makeActor } = await import("../test/factories");
const { playbookYaml } = await import("../test/playbook-fixtures");
const { uploadPlaybook } = await import("../lib/playbooks/save-playbook");
const { startWorker, stopWorker, until } = await import("../test/worker-process");

async function generate(orgId: string, versionId: string, n: number) {
  const t = Date.now();
  await db.$executeRaw`
    INSERT INTO "Run" (id, "orgId", "playbookVersionId", "playbookName", status, risk, "requiredApprovals", params, reason,
                       "requestedById", "requestedByType", "requestedByLabel", "createdAt", "updatedAt", error)
    SELECT gen_random_uuid(), ${orgId}::uuid, ${versionId}::uuid, 'bench', 'failed', 'low', 1,
           jsonb_build_object('service', 'svc-' || (g % 50), 'replicas', g % 7),
           'paged by oncall-' || (g % 9) || '@example.com from 10.0.' || (g % 250) || '.' || (g % 200),
           'user:x', 'user', 'op@example.com', now() - make_interval(secs => ${n} - g), now(),
           'connection refused by 10.1.2.' || (g % 200) || ':5432 after 30s'
    FROM generate_series(1, ${n}) g`;
  await db.$executeRaw`
    INSERT INTO "RunStep" (id, "orgId", "runId", idx, "stepId", action, status, attempts, "idempotencyKey", output, "updatedAt")
    SELECT gen_random_uuid(), r."orgId", r.id, s.idx, 'step' || s.idx, 'http', 'succeeded', 1, 'nops-' || r.id || '-' || s.idx,
           jsonb_build_object('status', 200, 'body', 'restarted checkout-7d9f8b6c5-x2k4q in 2.3s'), now()
    FROM "Run" r CROSS JOIN generate_series(0, 1) AS s(idx) WHERE r."orgId" = ${orgId}::uuid`;
  await db.$executeRawUnsafe(`ANALYZE "Run"; ANALYZE "RunStep"`).catch(() => db.$executeRawUnsafe(`ANALYZE`));
  console.error(`generated ${n} runs (+${2 * n} steps) in ${((Date.now() - t) / 1000).toFixed(0)} s`);
}

function rssKb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (k: string) => Number(new RegExp(`${k}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

async function measure(label: string, orgSlug: string, n: number) {
  const org = await ensureOrg({ slug: orgSlug, name: orgSlug });
  const admin = await makeActor(org.id, "admin");
  await db.organization.update({ where: { id: org.id }, data: { allowUnsignedPlaybooks: true } });
  await uploadPlaybook({ actor: admin, input: { source: playbookYaml("bench", "low", [{ id: "w", action: "wait", with: { duration: "1s" } }]) } });
  const version = await db.playbookVersion.findFirstOrThrow({ where: { orgId: org.id } });
  await generate(org.id, version.id, n);

  const worker = startWorker({ WORKER_QUEUES: "etl:1", EXPORT_DIR: exportDir, DATABASE_URL: process.env.DATABASE_URL!, REDIS_PREFIX: prefix, NEXTAUTH_SECRET: process.env.NEXTAUTH_SECRET!, NODE_ENV: "production" });
  await worker.started;
  const pid = worker.child.pid!;
  const idle = rssKb(pid);
  const t0 = Date.now();
  const exp = await createExport({ actor: admin, input: { kinds: ["runs"], gzip: true } });
  const samples: number[] = [];
  const done = await until(
    "the export to finish",
    async () => {
      samples.push(rssKb(pid).rss);
      const e = await db.export.findUnique({ where: { id: exp.id } });
      return e?.status === "succeeded" || e?.status === "failed" ? e : undefined;
    },
    3_600_000,
    250,
  );
  const secs = (Date.now() - t0) / 1000;
  const peak = rssKb(pid).hwm;
  await stopWorker(worker);
  samples.sort((a, b) => a - b);
  const mb = (kb: number) => `${(kb / 1024).toFixed(0)} MB`;
  console.log(
    `${label}: ${done.status}, ${done.rowsDone.toLocaleString("en")} runs in ${secs.toFixed(1)} s (${Math.round(done.rowsDone / secs).toLocaleString("en")} rows/s), ` +
      `file ${(Number(done.bytesWritten) / 1e6).toFixed(1)} MB gzip; worker RSS idle ${mb(idle.rss)}, median ${mb(samples[samples.length >> 1]!)}, peak (VmHWM) ${mb(peak)}; ${done.error ? `error: ${done.error}` : `redactions ${JSON.stringify((done.report as { redactions: unknown }).redactions)}`}`,
  );
}

try {
  await measure("small export", "bench-small", SMALL);
  await measure("big export  ", "bench-big", RUNS);
} finally {
  await closeQueues();
  await db.$disconnect();
  await closeRedis();
  await drop();
  rmSync(exportDir, { recursive: true, force: true });
}
