// The export.run job: stream an organization's incidents and runs to JSONL, redacted, in batches. After
// each batch the file length, the keyset cursor, the row count and the redaction counts are committed
// in one update guarded by the previous length, so:
// - a worker killed at any point resumes at the last checkpoint (the file is cut back to its length):
//   no row is written twice or skipped;
// - memory stays flat: one batch is in memory at a time, whatever the export's size.
import { gzipSync } from "node:zlib";
import { db } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { systemActor } from "@/lib/context";
import { appendAudit } from "@/lib/audit/append-audit";
import { orgRedactor } from "@/lib/orgs/redaction-key";
import { countRecords, readBatch, type Range } from "@/lib/etl/records";
import { ExportFile, exportPath, sha256File } from "@/lib/etl/export-file";
import { EXPORT_KINDS, ZExportCursor, type ExportCursor, type ExportKind } from "@/lib/etl/schemas";

export const DEFAULT_BATCH = 1000;

export type RunExportOptions = { batchSize?: number; signal?: AbortSignal };

export async function runExport(exportId: string, opts: RunExportOptions = {}) {
  let exp = await db.export.findUnique({ where: { id: exportId } });
  if (!exp) return { skipped: "export not found" };
  if (exp.status === "succeeded" || exp.status === "failed") return { skipped: `export is ${exp.status}` };
  const actor = systemActor("export", exp.orgId);
  const kinds = EXPORT_KINDS.filter((k) => exp!.kinds.includes(k));
  const range: Range = { from: exp.fromTime, to: exp.toTime };

  if (exp.status === "queued") {
    const totals = await Promise.all(kinds.map((k) => countRecords(exp!.orgId, k, range)));
    const cursor: ExportCursor = { kind: kinds[0]!, after: null, rowsByKind: {}, redactions: {} };
    exp = await db.$transaction(async (tx) => {
      const started = await tx.export.update({
        where: { id: exportId },
        data: { status: "running", startedAt: new Date(), rowsTotal: totals.reduce((a, b) => a + b, 0), cursor, fileName: `${exportId}.jsonl${exp!.gzip ? ".gz" : ""}` },
      });
      await appendAudit(tx, { actor, action: "export.started", target: { type: "export", id: exportId }, data: { kinds, from: exp!.fromTime, to: exp!.toTime, rowsTotal: started.rowsTotal } });
      return started;
    });
  } else {
    await db.export.update({ where: { id: exportId }, data: { attempts: { increment: 1 } } });
  }

  const file = exportPath(exp.fileName!);
  const redactor = await orgRedactor(exp.orgId);
  let cursor = ZExportCursor.parse(exp.cursor);
  let rowsDone = exp.rowsDone;
  const out = await ExportFile.open(file, Number(exp.bytesWritten));
  try {
    for (let k = kinds.indexOf(cursor.kind); k < kinds.length; k++) {
      const kind: ExportKind = kinds[k]!;
      if (kind !== cursor.kind) cursor = { ...cursor, kind, after: null };
      for (;;) {
        opts.signal?.throwIfAborted();
        const after = cursor.after ? { at: new Date(cursor.after.at), id: cursor.after.id } : null;
        const batch = await readBatch(exp.orgId, kind, range, after, opts.batchSize ?? DEFAULT_BATCH);
        if (!batch.records.length) break;
        const text = batch.records.map((r) => JSON.stringify({ ...r.keep, ...redactor.value(r.text) })).join("\n") + "\n";
        const committed = out.size;
        await out.append(exp.gzip ? gzipSync(text) : Buffer.from(text, "utf8"));
        const redacted = redactor.counts();
        redactor.reset();
        cursor = {
          kind,
          after: { at: batch.last!.at.toISOString(), id: batch.last!.id },
          rowsByKind: { ...cursor.rowsByKind, [kind]: (cursor.rowsByKind[kind] ?? 0) + batch.records.length },
          redactions: mergeCounts(cursor.redactions, redacted),
        };
        rowsDone += batch.records.length;
        // Guarded by the length this executor started the batch from: if another executor moved the
        // export on meanwhile, this one stops instead of committing a position it did not write.
        const { count } = await db.export.updateMany({
          where: { id: exportId, bytesWritten: BigInt(committed) },
          data: { bytesWritten: BigInt(out.size), cursor: cursor as unknown as Prisma.InputJsonValue, rowsDone },
        });
        if (count !== 1) throw new Error(`export ${exportId} was advanced by another executor; stopping`);
      }
    }
  } finally {
    await out.close();
  }

  const sha256 = await sha256File(file);
  const report = { rowsByKind: cursor.rowsByKind, redactions: cursor.redactions, bytes: Number(out.size) };
  await db.$transaction(async (tx) => {
    await tx.export.update({ where: { id: exportId }, data: { status: "succeeded", finishedAt: new Date(), sha256, report } });
    await appendAudit(tx, { actor, action: "export.succeeded", target: { type: "export", id: exportId }, data: { ...report, sha256 } });
  });
  return { status: "succeeded", rows: rowsDone, sha256 };
}

function mergeCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) if (v) out[k] = (out[k] ?? 0) + v;
  return out;
}

/** After the job's last attempt: mark the export failed (visible in the UI) and audit it. */
export async function failExport(exportId: string, error: string) {
  const exp = await db.export.findUnique({ where: { id: exportId } });
  if (!exp || exp.status === "succeeded" || exp.status === "failed") return;
  await db.$transaction(async (tx) => {
    await tx.export.update({ where: { id: exportId }, data: { status: "failed", finishedAt: new Date(), error } });
    await appendAudit(tx, { actor: systemActor("export", exp.orgId), action: "export.failed", target: { type: "export", id: exportId }, data: { error, rowsDone: exp.rowsDone } });
  });
}
