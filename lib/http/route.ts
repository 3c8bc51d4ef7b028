// Route-handler adapter: authenticate → parse (zod) → call one lib function → JSON. Maps AppError and
// zod errors to {error:{code,message}} with the right status, hides everything else behind a 500
// without a stack, and observes http_request_duration_seconds.
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor, RequestMeta } from "@/lib/context";
import { AppError } from "@/lib/errors";
import { metrics } from "@/lib/metrics/registry";
import { getRequestActor } from "@/lib/auth/get-actor";

const MAX_BODY_BYTES = 1024 * 1024;

type Ctx<B, Q, P, A> = { req: Request; actor: A; body: B; query: Q; params: P; meta: RequestMeta };

type Options<B, Q, P, Auth extends boolean> = {
  /** Route template for metrics, e.g. "/api/v1/runs/[id]". */
  name: string;
  auth?: Auth;
  body?: z.ZodType<B>;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
};

type Handler<B, Q, P, A> = (ctx: Ctx<B, Q, P, A>) => Promise<unknown>;
type NextCtx = { params: Promise<Record<string, string | string[]>> };

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(data, { status, headers });
}

export function errorResponse(err: unknown, requestId: string): Response {
  if (err instanceof AppError) return json(err.toJSON(), err.status);
  if (err instanceof z.ZodError) {
    return json({ error: { code: "validation_failed", message: "invalid input", details: err.issues.map(({ path, message, code }) => ({ path, message, code })) } }, 400);
  }
  console.error(JSON.stringify({ level: "error", msg: "unhandled error in route", requestId, error: String((err as Error)?.stack ?? err) }));
  return json({ error: { code: "internal", message: "internal error", requestId } }, 500);
}

async function readJson(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw new AppError("payload_too_large", `body larger than ${MAX_BODY_BYTES} bytes`);
  const text = await req.text();
  if (text.length > MAX_BODY_BYTES) throw new AppError("payload_too_large", `body larger than ${MAX_BODY_BYTES} bytes`);
  if (!text.trim()) throw new AppError("invalid_json", "request body must be JSON");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new AppError("invalid_json", `malformed JSON: ${(e as Error).message}`);
  }
}

function parseWith<T>(schema: z.ZodType<T> | undefined, value: unknown, where: string): T {
  if (!schema) return undefined as T;
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new AppError(
      "validation_failed",
      `invalid ${where}: ${r.error.issues.map((i) => `${i.path.join(".") || "(root)"}: ${i.message}`).join("; ")}`,
      r.error.issues.map(({ path, message, code }) => ({ path, message, code })),
    );
  }
  return r.data;
}

export function route<B = undefined, Q = undefined, P = undefined, Auth extends boolean = true>(
  opts: Options<B, Q, P, Auth>,
  handler: Handler<B, Q, P, Auth extends false ? Actor | null : Actor>,
) {
  return async (req: Request, ctx: NextCtx): Promise<Response> => {
    const requestId = req.headers.get("x-request-id") ?? randomUUID();
    const end = metrics().httpDuration.startTimer({ method: req.method, route: opts.name });
    let res: Response;
    try {
      const actor = opts.auth === false ? null : await getRequestActor(req);
      if (opts.auth !== false && !actor) throw new AppError("unauthenticated", "authentication required: sign in or send 'Authorization: Bearer <token>'");
      const url = new URL(req.url);
      const params = parseWith(opts.params, await ctx.params, "path parameters");
      const query = parseWith(opts.query, Object.fromEntries(url.searchParams), "query");
      const body = opts.body ? parseWith(opts.body, await readJson(req), "body") : (undefined as B);
      const meta: RequestMeta = {
        source: req.headers.get("authorization") ? "api" : "web",
        requestId,
        ip: req.headers.get("x-forwarded-for")?.split(",")[0]?.trim(),
        userAgent: req.headers.get("user-agent") ?? undefined,
      };
      const result = await handler({ req, actor: actor as Actor, body, query, params, meta });
      res = result instanceof Response ? result : json(result);
    } catch (err) {
      res = errorResponse(err, requestId);
    }
    res.headers.set("x-request-id", requestId);
    end({ status: String(res.status) });
    return res;
  };
}
