import { z } from "zod";

/** Queued or running: not finished yet (the exports page keeps polling while any export is). */
export const isActiveExport = (status: string) => status === "queued" || status === "running";

export const EXPORT_KINDS = ["incidents", "runs"] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];

export const ZCreateExportInput = z
  .object({
    kinds: z.array(z.enum(EXPORT_KINDS)).min(1).default(["incidents", "runs"]),
    from: z.coerce.date().optional(),
    to: z.coerce.date().optional(),
    gzip: z.boolean().default(true),
  })
  .strict()
  .refine((x) => !x.from || !x.to || x.from < x.to, { message: "'from' must be before 'to'", path: ["to"] });
export type CreateExportInput = z.input<typeof ZCreateExportInput>;

/** Where a resumable export stands: which kind, and the last (time, id) written of it. */
export const ZExportCursor = z.object({
  kind: z.enum(EXPORT_KINDS),
  after: z.object({ at: z.string(), id: z.string().uuid() }).nullable(),
  rowsByKind: z.record(z.string(), z.number()).default({}),
  redactions: z.record(z.string(), z.number()).default({}),
});
export type ExportCursor = z.infer<typeof ZExportCursor>;
