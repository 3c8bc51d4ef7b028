// What the exports page works with: listExports' rows as they travel as JSON (dates become ISO strings),
// and small formatting helpers. Types and pure functions only, so client components can use them.
import type { listExports } from "@/lib/etl/manage-exports";
import type { Jsonify } from "@/app/(app)/runs/_lib/run-types";

export type ExportRow = Jsonify<Awaited<ReturnType<typeof listExports>>[number]>;

export { isActiveExport as isActive } from "@/lib/etl/schemas";

/** 1536 → "1.5 KB" (powers of 1024, one decimal below 10). */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${Math.max(0, Math.round(n || 0))} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** An export range bound: the date alone when it is midnight UTC (whole days), else date and time. */
export function formatBound(iso: string): string {
  return iso.endsWith("T00:00:00.000Z") ? iso.slice(0, 10) : `${iso.slice(0, 16).replace("T", " ")}`;
}

/** The redaction counts of a finished export's report, largest first: [["email", 12], ["ipv4", 3]]. */
export function redactionCounts(report: unknown): [string, number][] | null {
  if (!report || typeof report !== "object") return null;
  const r = (report as { redactions?: unknown }).redactions;
  if (!r || typeof r !== "object") return null;
  return Object.entries(r as Record<string, unknown>)
    .filter((e): e is [string, number] => typeof e[1] === "number" && e[1] > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** The react-query key of the exports list (the form invalidates it after starting an export). */
export const EXPORTS_QUERY_KEY = ["exports"] as const;
