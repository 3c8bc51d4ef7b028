// Exports as people and the API see them: start one, list them, read one, download its file.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { db } from "@/lib/db";
import { systemActor, type Actor } from "@/lib/context";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError, notFound } from "@/lib/errors";
import { appendAudit } from "@/lib/audit/append-audit";
import { enqueue } from "@/lib/jobs/queue";
import { exportPath } from "@/lib/etl/export-file";
import { ZCreateExportInput, type CreateExportInput } from "@/lib/etl/schemas";

export const exportJobId = (id: string) => `export-${id}`;

function view(e: Awaited<ReturnType<typeof db.export.findUniqueOrThrow>>) {
  const { cursor: _cursor, bytesWritten, ...rest } = e;
  return { ...rest, bytesWritten: Number(bytesWritten), progress: e.rowsTotal ? Math.min(1, e.rowsDone / e.rowsTotal) : e.status === "succeeded" ? 1 : 0 };
}

export async function createExport({ actor, input, trigger = "manual" }: { actor: Actor; input: CreateExportInput; trigger?: "manual" | "schedule" }) {
  assertCan(actor, "exports.create");
  const data = ZCreateExportInput.parse(input);
  const exp = await db.$transaction(async (tx) => {
    const row = await tx.export.create({
      data: { orgId: actor.orgId, kinds: data.kinds, fromTime: data.from ?? null, toTime: data.to ?? null, gzip: data.gzip, trigger, requestedBy: actor.label ?? actor.id },
    });
    await appendAudit(tx, { actor, action: "export.requested", target: { type: "export", id: row.id }, data: { kinds: data.kinds, from: data.from ?? null, to: data.to ?? null, gzip: data.gzip, trigger } });
    return row;
  });
  await enqueue("export.run", { exportId: exp.id }, { jobId: exportJobId(exp.id) });
  return view(exp);
}

export async function listExports({ actor, limit = 50 }: { actor: Actor; limit?: number }) {
  assertCan(actor, "exports.read");
  const rows = await db.export.findMany({ where: { orgId: actor.orgId }, orderBy: { createdAt: "desc" }, take: limit });
  return rows.map(view);
}

export async function getExport({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "exports.read");
  const e = await db.export.findFirst({ where: { id, orgId: actor.orgId } });
  if (!e) throw notFound("export");
  return view(e);
}

/** The finished file as a stream; every download is audited. */
export async function openExportDownload({ actor, id }: { actor: Actor; id: string }) {
  assertCan(actor, "exports.read");
  const e = await db.export.findFirst({ where: { id, orgId: actor.orgId } });
  if (!e) throw notFound("export");
  if (e.status !== "succeeded" || !e.fileName) throw new AppError("conflict", `export is ${e.status}; the file can be downloaded once it has succeeded`);
  const file = exportPath(e.fileName);
  const size = await stat(file).then((s) => s.size, () => null);
  if (size === null) throw new AppError("not_found", "the export file is no longer on this server");
  await db.$transaction((tx) => appendAudit(tx, { actor, action: "export.downloaded", target: { type: "export", id }, data: { fileName: e.fileName, sha256: e.sha256, bytes: size } }));
  return { fileName: e.fileName, size, sha256: e.sha256, gzip: e.gzip, body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array> };
}

/** The nightly export of every organization: the previous 24 hours, both kinds, gzip. */
export async function scheduleNightlyExports(now = new Date()) {
  const orgs = await db.organization.findMany({ select: { id: true } });
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const from = new Date(to.getTime() - 24 * 3600_000);
  const created = [];
  for (const org of orgs) created.push((await createExport({ actor: systemActor("export-schedule", org.id), input: { from, to }, trigger: "schedule" })).id);
  return { created: created.length };
}
