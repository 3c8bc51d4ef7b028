// Route-handler adapter: authenticate → same-origin check (cookie writes) → permission → content type →
// parse (zod) → call one lib function → JSON. Maps AppError and zod errors to {error:{code,message}} with
// the right status, hides everything else behind a 500 without a stack, and observes
// http_request_duration_seconds.
import "server-only";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { Actor, RequestMeta } from "@/lib/context";
import type { Permission } from "@/lib/authz/permissions";
import { assertCan } from "@/lib/authz/assert-can";
import { AppError } from "@/lib/errors";
import { metrics } from "@/lib/metrics/registry";
import { log, withLogContext } from "@/lib/log";
import { getRequestActor } from "@/lib/auth/get-actor";
import { requestClientIp } from "@/lib/auth/client-ip";
import { assertStorableStrings, isJsonContentType, readJsonBody } from "@/lib/http/read-body";
import { assertSameOrigin, STATE_CHANGING } from "@/lib/http/same-origin";
import { isStoreUnavailable, storeUnavailable } from "@/lib/http/store-errors";
import type { Admission } from "@/lib/http/admission";
import { env } from "@/lib/env";

type Ctx<B, Q, P, A> = { req: Request; actor: A; body: B; query: Q; params: P; meta: RequestMeta };

type Options<B, Q, P, Auth extends boolean> = {
  /** Route template for metrics, e.g. "/api/v1/runs/[id]". */
  name: string;
  auth?: Auth;
  /**
   * What the caller must be allowed to do, checked right after authentication and before params, query
   * or body are read (the domain function checks it again). Every authenticated route declares one,
   * except the few any signed-in caller may use (a test enforces it).
   */
  permission?: Permission;
  /** A JSON body (Content-Type must say JSON, else 415), streamed with a 1 MiB limit. */
  body?: z.ZodType<B>;
  /**
   * The handler checks the body's strings per item (a batch where one bad item must not fail the
   * rest); otherwise a NUL or unpaired surrogate anywhere in the body is a 400.
   */
  perItemStrings?: boolean;
  query?: z.ZodType<Q>;
  params?: z.ZodType<P>;
  /**
   * For clients that cannot send a header or a cookie (calendar apps): a `?token=` in the URL of a
   * request without an Authorization header is its credential (a session cookie is then ignored). Given
   * the token and the raw path parameters, return the actor it grants for this path, or null (then 401).
   * The permission check still applies.
   */
  urlToken?: (token: string, params: Record<string, string | string[]>) => Promise<Actor | null>;
  /**
   * Ingest routes (machine senders posting many times a second): a bearer token checked within
   * TOKEN_CACHE_TTL_MS is trusted without a lookup, and the request must get a slot from this admission
   * gate after authentication and before its body is read (503 overloaded + Retry-After when none comes).
   */
  ingest?: { admission: () => Admission };
};

type Handler<B, Q, P, A> = (ctx: Ctx<B, Q, P, A>) => Promise<unknown>;
type NextCtx = { params: Promise<Record<string, string | string[]>> };

/**
 * What route() recorded about a handler, for tests that check every route (permission, JSON body, and that
 * the OpenAPI document in lib/http/openapi.ts describes the very schemas the handler parses with).
 */
export type RouteInfo = {
  name: string;
  auth: boolean;
  permission?: Permission;
  jsonBody: boolean;
  schemas: { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType };
};

export function json(data: unknown, status = 200, headers?: HeadersInit): Response {
  return Response.json(data, { status, headers });
}

export function errorResponse(err: unknown, requestId: string): Response {
  if (!(err instanceof AppError) && isStoreUnavailable(err)) {
    log("warn", "store unavailable", { requestId, error: String((err as Error)?.message ?? err).slice(0, 500) });
    err = storeUnavailable();
  }
  if (err instanceof AppError) {
    const retryAfter = (err.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    return json(err.toJSON(), err.status, retryAfter ? { "retry-after": String(retryAfter) } : undefined);
  }
  if (err instanceof z.ZodError) {
    return json({ error: { code: "validation_failed", message: "invalid input", details: err.issues.map(({ path, message, code }) => ({ path, message, code })) } }, 400);
  }
  log("error", "unhandled error in route", { requestId, error: String((err as Error)?.stack ?? err) });
  return json({ error: { code: "internal", message: "internal error", requestId } }, 500);
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

// A caller's id is kept when it looks like one (a proxy's or a client's trace id), else a fresh one.
function requestIdOf(req: Request): string {
  const given = req.headers.get("x-request-id");
  return given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
}

export function route<B = undefined, Q = undefined, P = undefined, Auth extends boolean = true>(
  opts: Options<B, Q, P, Auth>,
  handler: Handler<B, Q, P, Auth extends false ? Actor | null : Actor>,
) {
  const info: RouteInfo = {
    name: opts.name,
    auth: opts.auth !== false,
    permission: opts.permission,
    jsonBody: opts.body !== undefined,
    schemas: { body: opts.body, query: opts.query, params: opts.params },
  };
  const serve = async (req: Request, ctx: NextCtx): Promise<Response> => {
    const requestId = requestIdOf(req);
    return withLogContext({ requestId }, () => serveInContext(req, ctx, requestId));
  };
  const serveInContext = async (req: Request, ctx: NextCtx, requestId: string): Promise<Response> => {
    const end = metrics().httpDuration.startTimer({ method: req.method, route: opts.name });
    let res: Response;
    let release: (() => void) | undefined;
    try {
      // A link token is the credential when the URL carries one and no Authorization header does.
      const linkToken = opts.urlToken && !req.headers.get("authorization") ? new URL(req.url).searchParams.get("token") : null;
      const actor =
        opts.auth === false
          ? null
          : linkToken && opts.urlToken
            ? await opts.urlToken(linkToken, await ctx.params)
            : await getRequestActor(req, opts.ingest ? { tokenCacheTtlMs: env().TOKEN_CACHE_TTL_MS } : {});
      if (linkToken && !actor) throw new AppError("unauthenticated", "invalid or revoked link token");
      if (opts.auth !== false && !actor) throw new AppError("unauthenticated", "authentication required: sign in or send 'Authorization: Bearer <token>'");
      // getRequestActor prefers the Authorization header, so no header means the session cookie did it.
      if (actor && !req.headers.get("authorization") && STATE_CHANGING.has(req.method)) assertSameOrigin(req);
      if (opts.permission) assertCan(actor, opts.permission);
      if (opts.ingest) release = await opts.ingest.admission().acquire();
      if (opts.body && !isJsonContentType(req.headers.get("content-type"))) {
        throw new AppError("unsupported_media_type", "expected Content-Type: application/json");
      }
      const url = new URL(req.url);
      const rawParams = await ctx.params;
      const rawQuery = Object.fromEntries(url.searchParams);
      assertStorableStrings(rawParams, "path parameters");
      assertStorableStrings(rawQuery, "query");
      const params = parseWith(opts.params, rawParams, "path parameters");
      const query = parseWith(opts.query, rawQuery, "query");
      const body = opts.body ? parseWith(opts.body, await readJsonBody(req, { checkStrings: !opts.perItemStrings }), "body") : (undefined as B);
      const meta: RequestMeta = {
        source: req.headers.get("authorization") ? "api" : "web",
        requestId,
        ip: requestClientIp(req.headers),
        userAgent: req.headers.get("user-agent") ?? undefined,
      };
      const result = await handler({ req, actor: actor as Actor, body, query, params, meta });
      res = result instanceof Response ? result : json(result);
    } catch (err) {
      res = errorResponse(err, requestId);
      if (opts.ingest) {
        const reason = err instanceof AppError ? err.code : isStoreUnavailable(err) ? "store_unavailable" : null;
        if (reason === "overloaded" || reason === "store_unavailable") metrics().ingestRefused.inc({ route: opts.name, reason });
      }
    } finally {
      release?.();
    }
    res.headers.set("x-request-id", requestId);
    // Ingest answers are small and senders discard them: gzip (next start's default) would cost more CPU
    // than the rest of the answer. no-transform turns it off for them.
    if (opts.ingest) res.headers.set("cache-control", "no-store, no-transform");
    end({ status: String(res.status) });
    return res;
  };
  return Object.assign(serve, { route: info });
}
