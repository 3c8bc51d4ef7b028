// Every exported handler of app/api/**/route.ts, imported for real, with the options route() recorded on
// it. Guards use it so that a route added later is covered (or fails the guard) without editing a list.
import { readdirSync } from "node:fs";
import path from "node:path";
import type { RouteInfo } from "@/lib/http/route";

const API_DIR = path.resolve(import.meta.dirname, "../app/api");
const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

export type ApiHandler = {
  /** Route template as in app/api, e.g. "/api/v1/runs/[id]/approve". */
  path: string;
  method: (typeof METHODS)[number];
  handler: (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;
  /** Undefined when the export was not built with route() (next-auth's handler, the JSON 404). */
  info?: RouteInfo;
};

function routeFiles(dir: string, prefix = "/api"): { path: string; file: string }[] {
  const out: { path: string; file: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...routeFiles(full, `${prefix}/${entry.name}`));
    else if (entry.name === "route.ts") out.push({ path: prefix, file: full });
  }
  return out;
}

export async function loadApiHandlers(): Promise<ApiHandler[]> {
  const out: ApiHandler[] = [];
  for (const { path: routePath, file } of routeFiles(API_DIR)) {
    const mod = (await import(/* @vite-ignore */ file)) as Record<string, unknown>;
    for (const method of METHODS) {
      const handler = mod[method] as (ApiHandler["handler"] & { route?: RouteInfo }) | undefined;
      if (typeof handler === "function") out.push({ path: routePath, method, handler, info: handler.route });
    }
  }
  return out.sort((a, b) => `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`));
}
