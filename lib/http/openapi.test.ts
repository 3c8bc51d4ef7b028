// The OpenAPI document against the handlers themselves: every method exported by a route file under
// app/api/v1 is in the document and nothing else is; each documented schema is the one the handler
// parses with (compared as JSON Schema, so a schema edited in lib/ changes both); who may call matches
// route()'s auth and permission; and every example is accepted by the handler's own schemas.
import Ajv2020 from "ajv/dist/2020";
import { beforeAll, describe, expect, it } from "vitest";
import type { z } from "zod";
import { loadApiHandlers, type ApiHandler } from "@/test/api-routes";
import { API_OPERATIONS, buildOpenApiDocument, jsonSchemaOf, paramsSchemaOf, type ApiOperation } from "@/lib/http/openapi";


let handlers: ApiHandler[];
beforeAll(async () => {
  handlers = (await loadApiHandlers()).filter((h) => h.path.startsWith("/api/v1/"));
}, 120_000);

const key = (x: { method: string; path: string }) => `${x.method} ${x.path}`;

/** Every way the operations disagree with the handlers; empty when the document is right. */
function problems(ops: ApiOperation[], hs: ApiHandler[]): string[] {
  const out: string[] = [];
  const byKey = new Map(ops.map((o) => [key(o), o]));
  if (byKey.size !== ops.length) out.push("an operation is listed twice");
  for (const h of hs) {
    const op = byKey.get(key(h));
    if (!op) {
      out.push(`${key(h)}: exported by its route file but missing from lib/http/openapi.ts`);
      continue;
    }
    if (!h.info) {
      out.push(`${key(h)}: not built with route()`);
      continue;
    }
    const access = !h.info.auth ? "public" : (h.info.permission ?? "signed-in");
    if (op.access !== access) out.push(`${key(h)}: documented as ${op.access}, the handler says ${access}`);
    const pairs: [string, z.ZodType | undefined, z.ZodType | undefined][] = [
      ["params", paramsSchemaOf(op), h.info.schemas.params],
      ["query", op.query, h.info.schemas.query],
      ["body", op.body, h.info.schemas.body],
    ];
    for (const [part, documented, actual] of pairs) {
      if (!documented !== !actual) out.push(`${key(h)}: ${part} is ${documented ? "documented" : "not documented"} but the handler ${actual ? "parses one" : "parses none"}`);
      else if (documented && actual && JSON.stringify(jsonSchemaOf(documented)) !== JSON.stringify(jsonSchemaOf(actual))) {
        out.push(`${key(h)}: the documented ${part} schema differs from the handler's`);
      }
      // The example is checked with the handler's own schema: it is what a real request meets.
      const sample = part === "params" ? op.example.params : part === "query" ? op.example.query : op.example.body;
      if (actual) {
        const r = actual.safeParse(sample ?? (part === "body" ? undefined : {}));
        if (!r.success) out.push(`${key(h)}: example ${part} is rejected: ${r.error.issues.map((i) => `${i.path.join(".") || "(root)"} ${i.message}`).join("; ")}`);
      } else if (sample !== undefined) out.push(`${key(h)}: example has a ${part} but the handler parses none`);
    }
    if (h.info.jsonBody && op.rawBody) out.push(`${key(h)}: documented with a raw body but takes JSON`);
  }
  const exported = new Set(hs.map(key));
  for (const op of ops) if (!exported.has(key(op))) out.push(`${key(op)}: documented but no route file exports it`);
  return out;
}

describe("OpenAPI document for /api/v1", () => {
  it("lists exactly the exported methods, with the handlers' schemas and access, and examples they accept", () => {
    expect(handlers.length).toBeGreaterThan(100);
    expect(problems(API_OPERATIONS, handlers)).toEqual([]);
  });

  it("fails when a route's method is missing from it", () => {
    const without = API_OPERATIONS.filter((o) => key(o) !== "POST /api/v1/runs/[id]/approve");
    expect(problems(without, handlers)).toEqual(["POST /api/v1/runs/[id]/approve: exported by its route file but missing from lib/http/openapi.ts"]);
  });

  it("fails when an example stops validating, or a schema or access drifts", () => {
    const broken = API_OPERATIONS.map((o) =>
      key(o) === "POST /api/v1/runs/[id]/reject"
        ? { ...o, example: { ...o.example, body: { comment: "" } } }
        : key(o) === "GET /api/v1/incidents"
          ? { ...o, query: undefined }
          : key(o) === "GET /api/v1/runs"
            ? { ...o, access: "runs.approve" as const }
            : o,
    );
    const found = problems(broken, handlers);
    expect(found).toHaveLength(3);
    expect(found[0]).toMatch(/^GET \/api\/v1\/incidents: query is not documented but the handler parses one/);
    expect(found.join("\n")).toMatch(/POST \/api\/v1\/runs\/\[id\]\/reject: example body is rejected: comment/);
    expect(found.join("\n")).toMatch(/GET \/api\/v1\/runs: documented as runs.approve, the handler says runs.read/);
  });

  it("is a well-formed OpenAPI 3.1 document", () => {
    const doc = buildOpenApiDocument() as {
      openapi: string;
      paths: Record<string, Record<string, { operationId: string; parameters?: { name: string; in: string }[]; responses: Record<string, { $ref?: string }>; security: unknown[] }>>;
      components: { responses: Record<string, unknown>; schemas: Record<string, unknown> };
    };
    expect(doc.openapi).toBe("3.1.0");
    const ids = new Set<string>();
    let ops = 0;
    for (const [p, item] of Object.entries(doc.paths)) {
      expect(p).toMatch(/^\/api\/v1\//);
      expect(p).not.toMatch(/\[/);
      const templated = [...p.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      for (const [method, op] of Object.entries(item)) {
        ops++;
        expect(["get", "post", "put", "patch", "delete"]).toContain(method);
        expect(ids.has(op.operationId), `duplicate operationId ${op.operationId}`).toBe(false);
        ids.add(op.operationId);
        // Every path template variable is declared as a path parameter, and only those.
        expect((op.parameters ?? []).filter((x) => x.in === "path").map((x) => x.name).sort(), `${method} ${p}`).toEqual(templated);
        for (const r of Object.values(op.responses)) if (r.$ref) expect(doc.components.responses[r.$ref.replace("#/components/responses/", "")], r.$ref).toBeDefined();
      }
    }
    expect(ops).toBe(API_OPERATIONS.length);
    // Every error response is the one {error:{code,message}} shape.
    expect(JSON.stringify(doc.components.schemas.Error)).toMatch(/"code"/);
    expect(doc.paths["/api/v1/openapi.json"]!.get!.security).toEqual([]);
    expect(doc.paths["/api/v1/runs/{id}/approve"]!.post!.security).toEqual([{ bearerAuth: [] }, { sessionCookie: [] }]);
  });

  it("every example is valid under the JSON Schema the document publishes (what clients and generators read)", () => {
    // Formats are left to zod (the patterns zod emits for uuid, email and date-time are checked); query and path
    // values travel as strings, so they are coerced the way an OpenAPI client serializes them.
    const strict = new Ajv2020({ strict: false, validateFormats: false });
    const coercing = new Ajv2020({ strict: false, validateFormats: false, coerceTypes: true });
    const doc = buildOpenApiDocument() as {
      paths: Record<string, Record<string, { parameters?: { name: string; in: string; required: boolean; schema: object }[]; requestBody?: { content: Record<string, { schema: object; example?: unknown }> } }>>;
    };
    const failures: string[] = [];
    for (const op of API_OPERATIONS) {
      const o = doc.paths[op.path.replace(/\[([^\]]+)\]/g, "{$1}")]![op.method.toLowerCase()]!;
      const json = o.requestBody?.content["application/json"];
      if (json && !strict.validate(json.schema, op.example.body)) failures.push(`${key(op)} body: ${strict.errorsText()}`);
      for (const p of o.parameters ?? []) {
        const given = (p.in === "path" ? op.example.params : op.example.query)?.[p.name];
        if (given === undefined) {
          if (p.required) failures.push(`${key(op)}: required ${p.in} parameter ${p.name} has no example`);
          continue;
        }
        if (!coercing.validate(p.schema, given)) failures.push(`${key(op)} ${p.in} ${p.name}: ${coercing.errorsText()}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
